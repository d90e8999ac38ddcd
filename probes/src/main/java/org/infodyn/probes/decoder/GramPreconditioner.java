package org.infodyn.probes.decoder;

import java.util.stream.IntStream;

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
        // M = a·(X̃ᵀX̃/n + (p/a)·I'): the factor depends on p/a only, so the binary objective
        // (a = 1/4, p = l2/2) and the multinomial one (a = 1/2, p = l2) share one.
        this(x.cols(), blocks, x.derived(new Key(penaltyCurvature / curvatureBound),
                () -> factor(x, penaltyCurvature / curvatureBound)), 1 / curvatureBound);
    }

    private GramPreconditioner(int d, int blocks, SpdFactor factor, double inverseBound) {
        this.d = d;
        this.blocks = blocks;
        this.factor = factor;
        this.inverseBound = inverseBound;
        this.work = new double[blocks][d + 1];
    }

    /**
     * The preconditioner with the samples' own curvature in place of Böhning's bound:
     * {@code M = I_blocks ⊗ (X̃ᵀ S X̃/n + p·diag(1, …, 1, 0))} with {@code S = diag(s)}, s the
     * per-sample curvature at the current point (an estimate of the Hessian's diagonal blocks,
     * not a bound). Why: on separable data (more features than samples) a penalised fit ends
     * with most samples so confidently classified that their curvature is orders of magnitude
     * below the bound; Böhning's M then overstates the curvature of the data directions by as
     * much, and L-BFGS crawls (measured on cnn-small's blocks: 500 iterations without
     * converging). Built per fit, not cached: it depends on the labels and the point. Samples
     * whose curvature is below {@value NewtonStep#NEGLIGIBLE_CURVATURE} of the largest are left
     * out, as from Newton's approximate Hessians (they barely change M; often a third of them).
     *
     * @param s per-sample curvature, ≥ 0, one per row of x
     */
    static GramPreconditioner atCurvature(DesignMatrix x, double[] s, int blocks, double penaltyCurvature) {
        int d = x.cols();
        int n = x.rows();
        int[] kept = new int[n];
        int count = Kernels.atLeastFractionOfLargest(s, NewtonStep.NEGLIGIBLE_CURVATURE, kept);
        double[][] gram = new double[d + 1][d + 1];
        x.addWeightedGramUpper(gram, s, kept, count, null);
        double[] biasColumn = new double[d + 1];
        x.addTransposeTimes(s, biasColumn);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        return new GramPreconditioner(d, blocks, finish(gram, biasColumn, sum, n, penaltyCurvature), 1);
    }

    /**
     * Completes {@code M = [G | b; bᵀ | w]/n + p·diag(1, …, 1, 0)} from the upper triangle of
     * the weighted Gram matrix G (d × d, in a (d+1)-square array), the weighted column sums b and
     * the total weight w, and factors it.
     */
    private static SpdFactor finish(double[][] gram, double[] columnSums, double totalWeight, int n, double penalty) {
        int d = gram.length - 1;
        double scale = 1.0 / Math.max(1, n);
        for (int j = 0; j < d; j++) {
            double[] gj = gram[j];
            for (int k = j; k < d; k++) {
                gj[k] *= scale;
            }
            gj[j] += penalty;
            gj[d] = columnSums[j] * scale;
        }
        gram[d][d] = Math.max(totalWeight * scale, Double.MIN_NORMAL);
        return SpdFactor.of(gram, d + 1);
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
        if (x.isLowerTrapezoidal()) { // XᵀX, upper triangle
            Kernels.addProductUpperTrapezoidal(gram, columns, rows, d, n, IntStream.range(0, n).toArray());
        } else {
            Kernels.addProductUpper(gram, columns, rows, 0, d, n);
        }
        double[] columnSums = new double[d];
        for (int j = 0; j < d; j++) {
            double sum = 0;
            for (double v : columns[j]) {
                sum += v;
            }
            columnSums[j] = sum;
        }
        return finish(gram, columnSums, n, n, ratio);
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
