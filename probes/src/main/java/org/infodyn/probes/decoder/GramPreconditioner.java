package org.infodyn.probes.decoder;

/**
 * Böhning's curvature bound as an L-BFGS {@link Lbfgs.Preconditioner} for (multinomial) logistic
 * regression: the data part of the Hessian never exceeds {@code a · X̃ᵀX̃ / n} per class
 * ({@code X̃ = [X | 1]}, {@code a = 1/4} for the binary objective, {@code 1/2} for the
 * multinomial one; Böhning 1992), so
 * {@code M = I_blocks ⊗ (a·X̃ᵀX̃/n + p·diag(1, …, 1, 0))} with p the penalty's curvature is an
 * upper bound of the whole Hessian. Preconditioning with it removes the ill-conditioning that
 * correlated features cause (hidden units are strongly correlated), leaving only that of the
 * sample weights p(1 − p).
 *
 * <p>The factor of the {@code (d+1) × (d+1)} block depends on the design, a and p only, not on
 * the labels: it is built once per design and setting ({@link DesignMatrix#derived}) and shared
 * by the fits of every variable probed on the same samples; this object adds only the work
 * arrays of one fit. Building it costs about {@code n·d²/2 + d³/6} multiply-adds, which is why
 * designs with more features than samples are first reduced to their row space
 * ({@link RowSpace}).
 *
 * <p>Parameter layout: {@code [W (blocks × d, row-major) | b (blocks)]}.
 */
final class GramPreconditioner implements Lbfgs.Preconditioner {
    private final int d;
    private final int blocks;
    private final SpdFactor factor; // of M / a; null: non-finite data, no preconditioning
    private final double inverseBound;
    private final double[][] work;

    /**
     * @param x the fit samples
     * @param blocks number of weight blocks (classes; 1 for the binary objective)
     * @param curvatureBound a
     * @param penaltyCurvature p, the second derivative of the penalty per weight
     */
    GramPreconditioner(DesignMatrix x, int blocks, double curvatureBound, double penaltyCurvature) {
        this.d = x.cols();
        this.blocks = blocks;
        // M = a·(X̃ᵀX̃/n + (p/a)·I'): the factor depends on p/a only, so the binary objective
        // (a = 1/4, p = l2/2) and the multinomial one (a = 1/2, p = l2) share one.
        double ratio = penaltyCurvature / curvatureBound;
        this.factor = x.derived(new Key(ratio), () -> factor(x, ratio));
        this.inverseBound = 1 / curvatureBound;
        this.work = new double[blocks][d + 1];
    }

    /** Identifies a factor among a design's derived values. */
    private record Key(double penaltyOverBound) {
    }

    /** The factor of {@code X̃ᵀX̃/n + ratio·diag(1, …, 1, 0)}. */
    private static SpdFactor factor(DesignMatrix x, double ratio) {
        int d = x.cols();
        int m = d + 1;
        int n = x.rows();
        double[][] gram = new double[m][m];
        double[][] columns = new double[d][];
        double[][] rows = new double[n][];
        for (int j = 0; j < d; j++) {
            columns[j] = x.column(j);
        }
        for (int i = 0; i < n; i++) {
            rows[i] = x.row(i);
        }
        Kernels.addProductUpper(gram, columns, rows, 0, d, n, x.isLowerTrapezoidal()); // XᵀX, upper triangle
        double scale = 1.0 / Math.max(1, n);
        for (int j = 0; j < d; j++) {
            double[] gj = gram[j];
            for (int k = j; k < d; k++) {
                gj[k] *= scale;
            }
            gj[j] += ratio;
            double sum = 0;
            for (double v : columns[j]) {
                sum += v;
            }
            gj[d] = sum * scale;
        }
        gram[d][d] = n * scale;
        return SpdFactor.of(gram, m);
    }

    @Override
    public void applyInverse(double[] v) {
        if (factor == null) {
            return; // non-finite data: no preconditioning
        }
        for (int c = 0; c < blocks; c++) {
            double[] u = work[c];
            System.arraycopy(v, c * d, u, 0, d);
            u[d] = v[blocks * d + c];
        }
        factor.solveInPlace(work, blocks);
        for (int c = 0; c < blocks; c++) {
            double[] u = work[c];
            for (int j = 0; j < d; j++) {
                v[c * d + j] = u[j] * inverseBound;
            }
            v[blocks * d + c] = u[d] * inverseBound;
        }
    }

    @Override
    public String toString() {
        return "GramPreconditioner[" + d + " features, " + blocks + " blocks" + (factor == null ? ", none" : "") + "]";
    }
}
