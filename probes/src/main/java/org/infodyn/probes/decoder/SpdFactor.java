package org.infodyn.probes.decoder;

/**
 * The Cholesky factor {@code A = UᵀU} of a symmetric positive definite matrix of any size the
 * decoders meet (up to a few thousand), computed and applied with vectorisable loops only: the
 * factorisation by {@link BlockedCholesky}, the triangular solves as axpys over the rows of U
 * (forward) and of {@code L = Uᵀ} (backward), so that neither needs a dot product (which HotSpot
 * does not vectorise). The copy of L doubles the memory (m² doubles in all) and halves the time
 * of a solve.
 *
 * <p>A matrix that is only semi-definite in floating point (a constant feature and no penalty) is
 * factored with the smallest tried multiple of the identity added (Levenberg damping): a
 * singular direction arises legitimately there, where the gradient is zero too, so the damped
 * Newton step is exactly what the optimiser needs.
 * Immutable once built: {@link #solveInPlace} only reads the factor, so one factor serves several
 * threads.
 */
final class SpdFactor {
    private final int m;
    private final double[][] u; // upper triangle: u[k][j], j ≥ k
    private final double[][] l; // l[j][k] = u[k][j], k ≤ j: the rows of Uᵀ, for the backward solve
    private final double damping;

    private SpdFactor(int m, double[][] u, double[][] l, double damping) {
        this.m = m;
        this.u = u;
        this.l = l;
        this.damping = damping;
    }

    /**
     * Factors {@code A + μI} with the smallest μ in {0, 1e-12·s, 1e-11·s, …} (s the largest
     * diagonal entry) for which the factorisation succeeds.
     *
     * @param a A by its upper triangle ({@code a[j][k]}, k ≥ j, m arrays of at least m entries);
     *     not changed
     * @return the factor, or null when no damping up to s made A positive definite (non-finite input)
     */
    static SpdFactor of(double[][] a, int m) {
        double scale = 0;
        for (int j = 0; j < m; j++) {
            scale = Math.max(scale, Math.abs(a[j][j]));
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            scale = 1;
        }
        double[][] u = new double[m][m];
        double mu = 0;
        for (int attempt = 0; attempt < 14; attempt++) {
            for (int j = 0; j < m; j++) {
                System.arraycopy(a[j], j, u[j], j, m - j);
                u[j][j] += mu;
            }
            if (BlockedCholesky.factorInPlace(u, m, null, 0) == m) {
                double[][] l = new double[m][];
                for (int j = 0; j < m; j++) {
                    double[] row = new double[j + 1];
                    for (int k = 0; k <= j; k++) {
                        row[k] = u[k][j];
                    }
                    l[j] = row;
                }
                return new SpdFactor(m, u, l, mu);
            }
            mu = mu == 0 ? 1e-12 * scale : 10 * mu;
        }
        return null;
    }

    /** The order m. */
    int order() {
        return m;
    }

    /** The multiple of the identity that had to be added (0 for a well-conditioned matrix). */
    double damping() {
        return damping;
    }

    /**
     * Solves {@code A x = b} for several right-hand sides at once (each row of U and L is read
     * once for all of them).
     *
     * @param bs right-hand sides, each of at least m entries; replaced by the solutions
     * @param count how many of {@code bs} to solve for
     */
    void solveInPlace(double[][] bs, int count) {
        for (int k = 0; k < m; k++) { // Uᵀ y = b, column by column of Uᵀ (row by row of U)
            double[] uk = u[k];
            double pivot = uk[k];
            for (int c = 0; c < count; c++) {
                double[] b = bs[c];
                double y = b[k] / pivot;
                b[k] = y;
                Kernels.axpy(-y, uk, b, k + 1, m);
            }
        }
        for (int k = m - 1; k >= 0; k--) { // U x = y, column by column of U (row by row of L)
            double[] lk = l[k];
            double pivot = lk[k];
            for (int c = 0; c < count; c++) {
                double[] b = bs[c];
                double x = b[k] / pivot;
                b[k] = x;
                Kernels.axpy(-x, lk, b, 0, k);
            }
        }
    }
}
