package org.infodyn.probes.decoder;

import java.util.Arrays;

/**
 * Böhning's curvature bound as an L-BFGS {@link Lbfgs.Preconditioner} for (multinomial) logistic
 * regression: the data part of the Hessian never exceeds {@code a · X̃ᵀX̃ / n} per class
 * ({@code X̃ = [X | 1]}, {@code a = 1/4} for the binary objective, {@code 1/2} for the
 * multinomial one; Böhning 1992), so
 * {@code M = I_blocks ⊗ (a·X̃ᵀX̃/n + p·diag(1, …, 1, 0))} with p the penalty's curvature is an
 * upper bound of the whole Hessian. Preconditioning with it removes the ill-conditioning that
 * correlated features cause (hidden units are strongly correlated), leaving only that of the
 * sample weights p(1 − p). Built once per fit (about one Hessian's worth of work), applied as an
 * explicit inverse with vectorised axpys.
 *
 * <p>Parameter layout: {@code [W (blocks × d, row-major) | b (blocks)]}.
 */
final class GramPreconditioner implements Lbfgs.Preconditioner {
    private final int d;
    private final int blocks;
    private final double[][] inverse; // (d+1) × (d+1), symmetric
    private final double[] u;
    private final double[] out;

    /**
     * @param x the fit samples
     * @param blocks number of weight blocks (classes; 1 for the binary objective)
     * @param curvatureBound a
     * @param penaltyCurvature p, the second derivative of the penalty per weight
     */
    GramPreconditioner(DesignMatrix x, int blocks, double curvatureBound, double penaltyCurvature) {
        this.d = x.cols();
        this.blocks = blocks;
        int m = d + 1;
        int n = x.rows();
        double[][] gram = new double[m][m];
        double[] sums = new double[m];
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            Kernels.addRank4Upper(gram, d, 1, x.row(i), 1, x.row(i + 1), 1, x.row(i + 2), 1, x.row(i + 3));
        }
        for (; i < n; i++) {
            Kernels.addRank1Upper(gram, d, 1, x.row(i));
        }
        for (i = 0; i < n; i++) {
            Kernels.axpy(1, x.row(i), sums, d);
        }
        double scale = curvatureBound / Math.max(1, n);
        for (int j = 0; j < d; j++) {
            for (int k = j; k < d; k++) {
                gram[j][k] *= scale;
            }
            gram[j][j] += penaltyCurvature;
            gram[j][d] = sums[j] * scale;
        }
        gram[d][d] = n * scale;
        inverse = new double[m][m];
        Cholesky cholesky = new Cholesky(m);
        if (cholesky.decompose(gram)) {
            for (int j = 0; j < m; j++) {
                double[] e = inverse[j];
                e[j] = 1;
                cholesky.solveInPlace(e); // row j of a symmetric inverse = column j
            }
        } else {
            for (int j = 0; j < m; j++) {
                inverse[j][j] = 1; // non-finite data: fall back to no preconditioning
            }
        }
        u = new double[m];
        out = new double[m];
    }

    @Override
    public void applyInverse(double[] v) {
        int m = d + 1;
        for (int c = 0; c < blocks; c++) {
            System.arraycopy(v, c * d, u, 0, d);
            u[d] = v[blocks * d + c];
            Arrays.fill(out, 0);
            for (int j = 0; j < m; j++) {
                Kernels.axpy(u[j], inverse[j], out, m);
            }
            System.arraycopy(out, 0, v, c * d, d);
            v[blocks * d + c] = out[d];
        }
    }
}
