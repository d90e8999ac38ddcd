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

    /** Solves {@code A x = b} for one right-hand side: b is replaced by x. */
    void solveInPlace(double[] b) {
        solveInPlace(new double[][] {b}, 1);
    }

    /**
     * Solves {@code A x = b} for several right-hand sides at once (each row of U and L is read
     * once for all of them).
     *
     * @param bs right-hand sides, each of at least m entries; replaced by the solutions
     * @param count how many of {@code bs} to solve for
     */
    void solveInPlace(double[][] bs, int count) {
        // Four rows of U (then of L) at a time: their 4 × 4 triangle solved in scalars, then one
        // pass of b over the rest for all four (a quarter of the loads and stores of b).
        int k = 0;
        for (; k + 4 <= m; k += 4) { // Uᵀ y = b, column by column of Uᵀ (row by row of U)
            double[] u0 = u[k];
            double[] u1 = u[k + 1];
            double[] u2 = u[k + 2];
            double[] u3 = u[k + 3];
            for (int c = 0; c < count; c++) {
                double[] b = bs[c];
                double y0 = b[k] / u0[k];
                double y1 = (b[k + 1] - y0 * u0[k + 1]) / u1[k + 1];
                double y2 = (b[k + 2] - y0 * u0[k + 2] - y1 * u1[k + 2]) / u2[k + 2];
                double y3 = (b[k + 3] - y0 * u0[k + 3] - y1 * u1[k + 3] - y2 * u2[k + 3]) / u3[k + 3];
                b[k] = y0;
                b[k + 1] = y1;
                b[k + 2] = y2;
                b[k + 3] = y3;
                Kernels.addWeighted4(b, -y0, u0, -y1, u1, -y2, u2, -y3, u3, k + 4, m);
            }
        }
        for (; k < m; k++) {
            double[] uk = u[k];
            for (int c = 0; c < count; c++) {
                double[] b = bs[c];
                double y = b[k] / uk[k];
                b[k] = y;
                Kernels.axpy(-y, uk, b, k + 1, m);
            }
        }
        k = m - 1;
        for (; k >= 3; k -= 4) { // U x = y, column by column of U (row by row of L), from the bottom
            double[] l0 = l[k];
            double[] l1 = l[k - 1];
            double[] l2 = l[k - 2];
            double[] l3 = l[k - 3];
            for (int c = 0; c < count; c++) {
                double[] b = bs[c];
                double x0 = b[k] / l0[k];
                double x1 = (b[k - 1] - x0 * l0[k - 1]) / l1[k - 1];
                double x2 = (b[k - 2] - x0 * l0[k - 2] - x1 * l1[k - 2]) / l2[k - 2];
                double x3 = (b[k - 3] - x0 * l0[k - 3] - x1 * l1[k - 3] - x2 * l2[k - 3]) / l3[k - 3];
                b[k] = x0;
                b[k - 1] = x1;
                b[k - 2] = x2;
                b[k - 3] = x3;
                Kernels.addWeighted4(b, -x0, l0, -x1, l1, -x2, l2, -x3, l3, 0, k - 3);
            }
        }
        for (; k >= 0; k--) {
            double[] lk = l[k];
            for (int c = 0; c < count; c++) {
                double[] b = bs[c];
                double x = b[k] / lk[k];
                b[k] = x;
                Kernels.axpy(-x, lk, b, 0, k);
            }
        }
    }
}
