package org.infodyn.probes.geometry;

import org.infodyn.probes.decoder.Kernels;

/**
 * The eigenvalues of a real symmetric matrix: Householder reduction to tridiagonal form, then
 * the implicit QL algorithm with Wilkinson shifts (Golub &amp; Van Loan, §8.3; the EISPACK
 * tred1/tql1 pair). Values only, no vectors: about (4/3)·n³ multiply-adds, ~0.25 s for n = 1,000
 * on this project's machine. Double precision throughout.
 */
final class SymmetricEigenvalues {
    private static final int MAX_SWEEPS_PER_VALUE = 60;

    private SymmetricEigenvalues() {
    }

    /**
     * @param a a symmetric n × n matrix; its lower triangle is read and destroyed
     * @return the n eigenvalues, in descending order
     * @throws ArithmeticException when QL does not converge (non-finite input)
     */
    static double[] of(double[][] a) {
        int n = a.length;
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonalize(a, d, e);
        ql(d, e);
        java.util.Arrays.sort(d);
        for (int i = 0, j = n - 1; i < j; i++, j--) {
            double t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return d;
    }

    /** Householder reduction (tred1): the diagonal into {@code d}, the sub-diagonal into {@code e[1..n)}. */
    private static void tridiagonalize(double[][] a, double[] d, double[] e) {
        int n = a.length;
        for (int i = n - 1; i > 0; i--) {
            int l = i - 1;
            double h = 0;
            if (l > 0) {
                double scale = 0;
                for (int k = 0; k <= l; k++) {
                    scale += Math.abs(a[i][k]);
                }
                if (scale == 0) {
                    e[i] = a[i][l];
                } else {
                    for (int k = 0; k <= l; k++) {
                        a[i][k] /= scale;
                        h += a[i][k] * a[i][k];
                    }
                    double f = a[i][l];
                    double g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
                    e[i] = scale * g;
                    h -= f * g;
                    a[i][l] = f - g;
                    // p = A u (A's lower triangle, u = row i) row by row: each row j adds its dot
                    // with u to p[j] and, by symmetry, u[j] times itself to p[0..j): one pass over
                    // contiguous rows (an axpy HotSpot vectorises) instead of reading A's columns.
                    double[] ai = a[i];
                    java.util.Arrays.fill(e, 0, l + 1, 0);
                    for (int j = 0; j <= l; j++) {
                        double[] aj = a[j];
                        e[j] += Kernels.dot(aj, ai, j + 1);
                        double uj = ai[j];
                        for (int k = 0; k < j; k++) {
                            e[k] += uj * aj[k];
                        }
                    }
                    f = 0;
                    for (int j = 0; j <= l; j++) {
                        e[j] /= h;
                        f += e[j] * ai[j];
                    }
                    double hh = f / (h + h);
                    for (int j = 0; j <= l; j++) {
                        f = ai[j];
                        g = e[j] - hh * f;
                        e[j] = g;
                        double[] row = a[j];
                        for (int k = 0; k <= j; k++) {
                            row[k] -= f * e[k] + g * ai[k];
                        }
                    }
                }
            } else {
                e[i] = a[i][l];
            }
            d[i] = h;
        }
        for (int i = 0; i < n; i++) {
            d[i] = a[i][i];
        }
    }

    /** Implicit QL on the tridiagonal matrix (tql1): eigenvalues into {@code d}; {@code e} is destroyed. */
    private static void ql(double[] d, double[] e) {
        int n = d.length;
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        if (n > 0) {
            e[n - 1] = 0;
        }
        for (int l = 0; l < n; l++) {
            int iterations = 0;
            int m;
            do {
                for (m = l; m < n - 1; m++) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= Math.ulp(dd)) {
                        break;
                    }
                }
                if (m != l) {
                    if (iterations++ == MAX_SWEEPS_PER_VALUE) {
                        throw new ArithmeticException("eigenvalues did not converge (non-finite matrix?)");
                    }
                    double g = (d[l + 1] - d[l]) / (2 * e[l]);
                    double r = Math.hypot(g, 1);
                    g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                    double s = 1;
                    double c = 1;
                    double p = 0;
                    int i;
                    for (i = m - 1; i >= l; i--) {
                        double f = s * e[i];
                        double b = c * e[i];
                        r = Math.hypot(f, g);
                        e[i + 1] = r;
                        if (r == 0) {
                            d[i + 1] -= p;
                            e[m] = 0;
                            break;
                        }
                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2 * c * b;
                        p = s * r;
                        d[i + 1] = g + p;
                        g = c * r - b;
                    }
                    if (r == 0 && i >= l) {
                        continue;
                    }
                    d[l] -= p;
                    e[l] = g;
                    e[m] = 0;
                }
            } while (m != l);
        }
    }
}
