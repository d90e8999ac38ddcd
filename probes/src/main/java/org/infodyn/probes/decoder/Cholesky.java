package org.infodyn.probes.decoder;

/**
 * Solves {@code A x = b} for a small symmetric positive (semi-)definite A by Cholesky
 * factorisation, adding the smallest tried multiple of the identity that makes A numerically
 * positive definite (Levenberg damping). A singular direction arises legitimately, e.g. from a
 * constant feature with no penalty; there the gradient is zero too, so the damped step is
 * exactly what Newton's method needs. Keeps its work arrays; not thread-safe.
 */
final class Cholesky {
    private final int n;
    private final double[][] l;

    Cholesky(int n) {
        this.n = n;
        this.l = new double[n][n];
    }

    /**
     * Factors {@code A + μI} with the smallest μ in {0, 1e-12·s, 1e-11·s, …} (s the largest
     * diagonal entry) for which the factorisation succeeds; {@link #solveInPlace} then solves
     * with it.
     *
     * @param a A by its upper triangle ({@code a[j][k]}, k ≥ j); not changed
     * @return false when no damping up to s made A positive definite (non-finite input)
     */
    boolean decompose(double[][] a) {
        double scale = 0;
        for (int j = 0; j < n; j++) {
            scale = Math.max(scale, Math.abs(a[j][j]));
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            scale = 1;
        }
        double mu = 0;
        for (int attempt = 0; attempt < 14; attempt++) {
            if (factor(a, mu)) {
                return true;
            }
            mu = mu == 0 ? 1e-12 * scale : 10 * mu;
        }
        return false;
    }

    /** Solves with the last successful {@link #decompose}: b is replaced by the solution. */
    void solveInPlace(double[] b) {
        substitute(b);
    }

    /** Cholesky–Banachiewicz: row i of L from rows 0..i−1, each entry one dot product. */
    private boolean factor(double[][] a, double mu) {
        for (int i = 0; i < n; i++) {
            double[] li = l[i];
            for (int j = 0; j <= i; j++) {
                double s = a[j][i] - Kernels.dot(li, l[j], j);
                if (i == j) {
                    s += mu;
                    if (!(s > 0)) {
                        return false;
                    }
                    li[i] = Math.sqrt(s);
                } else {
                    li[j] = s / l[j][j];
                }
            }
        }
        return true;
    }

    private void substitute(double[] b) {
        for (int i = 0; i < n; i++) { // L y = b
            b[i] = (b[i] - Kernels.dot(l[i], b, i)) / l[i][i];
        }
        // Lᵀ x = y, by columns of Lᵀ (rows of L): once x[i] is known, its share is taken off the
        // entries above it with one contiguous, vectorised axpy instead of a strided walk down L.
        for (int i = n - 1; i >= 0; i--) {
            double xi = b[i] / l[i][i];
            b[i] = xi;
            Kernels.axpy(-xi, l[i], b, i);
        }
    }
}
