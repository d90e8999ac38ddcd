package org.infodyn.probes.decoder;

/**
 * Cholesky factorisation {@code A = UᵀU} in place on the upper triangle of a symmetric matrix,
 * optionally with symmetric threshold pivoting (the largest remaining diagonal entry when the next
 * is much smaller), which reveals the rank of a semi-definite matrix. Blocked right-looking: a panel of {@value #PANEL} rows is
 * factored, then its rank-{@value #PANEL} contribution is taken off the rest tile by tile
 * ({@link Kernels#addProductUpper}), so every inner loop is a vectorisable axpy and the
 * trailing matrix passes through memory once per panel rather than once per row.
 */
final class BlockedCholesky {
    /** Rows factored together before their update of the rest. */
    static final int PANEL = 32;
    /** With pivoting, a pivot smaller than this fraction of the largest remaining one is swapped for it. */
    static final double PIVOT_THRESHOLD = 1e-3;

    private BlockedCholesky() {
    }

    /**
     * Factors the leading part of {@code a}. On return rows {@code 0..r−1} of {@code a} hold the
     * rows of U (entries from the diagonal on; entries left of the diagonal are not touched, so
     * they stay zero if they were), where r is the returned rank; later rows hold scratch.
     *
     * @param a the upper triangle of A ({@code a[j][k]}, k ≥ j), n arrays of at least n entries
     * @param order null for no pivoting; else receives the pivot order: {@code order[p]} is the
     *     original index of position p (it must hold {@code 0..n−1} on entry)
     * @param stop with pivoting, the factorisation stops (rank r) when no remaining diagonal
     *     entry exceeds this; without, a pivot ≤ 0 (or not finite) stops it
     * @return r: n when A was factored completely
     */
    static int factorInPlace(double[][] a, int n, int[] order, double stop) {
        double[] diag = new double[n]; // remaining diagonal (pivoting only)
        for (int j = 0; j < n; j++) {
            diag[j] = a[j][j];
        }
        double[][] panelT = new double[n][PANEL]; // panelT[j][q] = −u[k0 + q][j]
        for (int k0 = 0; k0 < n; k0 += PANEL) {
            int k1 = Math.min(n, k0 + PANEL);
            for (int k = k0; k < k1; k++) {
                if (order != null) {
                    int q = k;
                    for (int j = k + 1; j < n; j++) {
                        if (diag[j] > diag[q]) {
                            q = j;
                        }
                    }
                    if (!(diag[q] > stop) || !Double.isFinite(diag[q])) {
                        return k;
                    }
                    // Threshold pivoting: keep the natural order unless its pivot is much smaller
                    // than the largest. A swap walks down two columns (cache misses all the way),
                    // and Cholesky needs no pivoting for stability, only to find the rank; samples
                    // in general position then factor without a single swap but the last.
                    if (q != k && diag[k] < PIVOT_THRESHOLD * diag[q]) {
                        swap(a, n, k, q, order, diag);
                    }
                }
                double[] ak = a[k];
                for (int i = k0; i < k; i++) { // the panel's earlier rows, not yet applied to this one
                    Kernels.axpy(-a[i][k], a[i], ak, k, n);
                }
                double dk = order != null ? diag[k] : ak[k];
                if (!(dk > 0) || !Double.isFinite(dk)) {
                    return k;
                }
                double pivot = Math.sqrt(dk);
                double inv = 1 / pivot;
                ak[k] = pivot;
                for (int j = k + 1; j < n; j++) {
                    double v = ak[j] * inv;
                    ak[j] = v;
                    diag[j] -= v * v;
                }
            }
            if (k1 == n) {
                break;
            }
            int p = k1 - k0;
            for (int j = k1; j < n; j++) {
                double[] row = panelT[j];
                for (int q = 0; q < p; q++) {
                    row[q] = -a[k0 + q][j];
                }
            }
            double[][] panel = new double[p][];
            System.arraycopy(a, k0, panel, 0, p);
            Kernels.addProductUpper(a, panelT, panel, k1, n, p); // the rest −= the panel's part
        }
        return n;
    }

    /** Exchanges positions k < q: in the rows of U so far, and in the trailing matrix's upper triangle. */
    private static void swap(double[][] a, int n, int k, int q, int[] order, double[] diag) {
        for (int i = 0; i < k; i++) {
            double[] ai = a[i];
            double t = ai[k];
            ai[k] = ai[q];
            ai[q] = t;
        }
        double[] ak = a[k];
        double[] aq = a[q];
        double t = ak[k];
        ak[k] = aq[q];
        aq[q] = t;
        for (int j = k + 1; j < q; j++) {
            t = ak[j];
            ak[j] = a[j][q];
            a[j][q] = t;
        }
        for (int j = q + 1; j < n; j++) {
            t = ak[j];
            ak[j] = aq[j];
            aq[j] = t;
        }
        int o = order[k];
        order[k] = order[q];
        order[q] = o;
        double dd = diag[k];
        diag[k] = diag[q];
        diag[q] = dd;
    }
}
