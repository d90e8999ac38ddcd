package org.infodyn.probes.decoder;

import java.util.Arrays;

/**
 * The two-class case of {@link MultinomialObjective}, in half the parameters: with classes a, b
 * and {@code w = W_b − W_a}, {@code c = b_b − b_a}, the softmax is the logistic function of
 * {@code t = w·x + c} and, at the penalised optimum, {@code W_b = −W_a = w/2}, so the penalty
 * {@code (l2/2)(‖W_a‖² + ‖W_b‖²)} is {@code (l2/4)‖w‖²}. Same minimum value, same predicted
 * probabilities, half the arithmetic. Parameters are {@code [w (d) | c]}.
 *
 * <p>Besides value and gradient (for {@link Lbfgs}) it offers the pieces {@link LogisticNewton}
 * needs: a value-only {@link #forward} pass that keeps the margins, the gradient at the last
 * forward point, and there the Hessian (exact or approximate) or its product with a vector.
 * Not thread-safe (it keeps those margins).
 */
final class BinaryLogisticObjective implements DifferentiableFunction {
    private final DesignMatrix x;
    private final int n;
    private final int d;
    private final boolean[] positive;
    private final double l2;
    private final double[] t; // margins w·x_i + c at the last forward point
    private final double[] e; // exp(−|t_i|) there
    private final double[] curvature; // p_i (1 − p_i) / n at the last gradient point
    private final double[] perSample; // scratch: ∂loss_i/∂t in gradient, X·v (then D·X·v) in hessianTimes
    private final int[] keptRows; // scratch of hessian: the samples it sums over
    private double[][] scaledColumns; // scratch of hessian on wide designs (DesignMatrix#addWeightedGramUpper)

    /**
     * @param design the fit samples
     * @param positive per row: true for class b (target 1), false for class a
     * @param l2 the multinomial penalty weight (the binary penalty is l2/4·‖w‖²)
     */
    BinaryLogisticObjective(DesignMatrix design, boolean[] positive, double l2) {
        this.x = design;
        this.n = design.rows();
        this.d = design.cols();
        this.positive = positive;
        this.l2 = l2;
        this.t = new double[n];
        this.e = new double[n];
        this.curvature = new double[n];
        this.perSample = new double[n];
        this.keptRows = new int[n];
    }

    @Override
    public int dimension() {
        return d + 1;
    }

    @Override
    public double valueAndGradient(double[] theta, double[] grad) {
        double f = forward(theta);
        gradient(theta, grad);
        return f;
    }

    /** The objective at {@code theta}; keeps the margins for {@link #gradient} and {@link #hessian}. */
    double forward(double[] theta) {
        x.times(theta, theta[d], t);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double ti = t[i];
            double ei = Math.exp(-Math.abs(ti));
            e[i] = ei;
            double margin = positive[i] ? ti : -ti;
            // softplus(−margin) = ln(1 + e^{−|margin|}) + max(−margin, 0); the log's absolute
            // error (≤ 1.2e-16 per sample) is below any use of the value.
            loss += Math.log(1 + ei) + Math.max(-margin, 0);
        }
        double penalty = 0;
        for (int j = 0; j < d; j++) {
            penalty += theta[j] * theta[j];
        }
        return loss / n + 0.25 * l2 * penalty;
    }

    /** The gradient at the last {@link #forward} point {@code theta}; also prepares {@link #hessian}. */
    void gradient(double[] theta, double[] grad) {
        double invN = 1.0 / n;
        double gBias = 0;
        double[] r = perSample;
        for (int i = 0; i < n; i++) {
            double ei = e[i];
            double q = 1 / (1 + ei);
            double p = t[i] >= 0 ? q : ei * q; // σ(t), the probability of class b
            r[i] = p - (positive[i] ? 1 : 0); // ∂loss_i/∂t
            curvature[i] = ei * q * q * invN; // σ(t)(1 − σ(t)) / n
            gBias += r[i];
        }
        Arrays.fill(grad, 0);
        x.addTransposeTimes(r, grad); // grad[d] (the bias) is not touched
        double half = 0.5 * l2; // gradient of (l2/4)‖w‖²
        for (int j = 0; j < d; j++) {
            grad[j] = grad[j] * invN + half * theta[j];
        }
        grad[d] = gBias * invN;
    }

    /**
     * The Hessian at the last {@link #gradient} point times {@code v}, without forming the
     * Hessian: two passes over X, ≈ 2·n·d multiply-adds against ≈ n·d²/2 for {@link #hessian}.
     *
     * @param v d + 1 entries {@code [v_w | v_c]}; not changed
     * @param out receives the d + 1 entries of the product
     */
    void hessianTimes(double[] v, double[] out) {
        double[] u = perSample;
        x.times(v, v[d], u);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            u[i] *= curvature[i];
            sum += u[i];
        }
        Arrays.fill(out, 0);
        x.addTransposeTimes(u, out); // out[d] (the bias) is not touched
        double half = 0.5 * l2;
        for (int j = 0; j < d; j++) {
            out[j] += half * v[j];
        }
        out[d] = sum;
    }

    /**
     * The Hessian at the last {@link #gradient} point, into the upper triangle (k ≥ j) of
     * {@code h} ({@code (d+1) × (d+1)}): {@code Xᵀ D X / n + (l2/2)·I} on w, with the bias row;
     * exact, or without the samples of negligible curvature.
     *
     * <p>Why leave samples out: in the nearly separable problems of trained layers most samples
     * are classified so confidently that their curvature {@code p(1 − p)} is orders of magnitude
     * below the largest, so they barely change the Hessian while each costs d²/2 multiply-adds.
     * Without them it is still an excellent preconditioner (see {@link NewtonStep}).
     *
     * @param h receives the upper triangle; the strict lower triangle is left as is
     * @param biasColumn scratch of length d + 1
     * @param relativeCutoff leave out the samples whose curvature is below this fraction of the
     *     largest (the bias row keeps them all: it is cheap); 0 for the exact Hessian
     * @return whether samples were left out
     */
    boolean hessian(double[][] h, double[] biasColumn, double relativeCutoff) {
        for (int j = 0; j <= d; j++) {
            Arrays.fill(h[j], j, d + 1, 0);
        }
        int kept = Kernels.atLeastFractionOfLargest(curvature, relativeCutoff, keptRows);
        if (d >= TILED_HESSIAN_FEATURES) {
            scaledColumns = x.addWeightedGramUpper(h, curvature, keptRows, kept, scaledColumns);
        } else {
            addRank4Updates(h, kept);
        }
        Arrays.fill(biasColumn, 0);
        x.addTransposeTimes(curvature, biasColumn);
        double sumD = 0;
        for (int i = 0; i < n; i++) {
            sumD += curvature[i];
        }
        double half = 0.5 * l2;
        for (int j = 0; j < d; j++) {
            h[j][j] += half;
            h[j][d] = biasColumn[j];
        }
        h[d][d] = sumD;
        return kept < n;
    }

    /**
     * From this many features on, {@link #hessian} sums {@code Xᵀ D X} as a tiled product
     * ({@link Kernels#addProductUpper}, ~12 GFMA/s here) rather than rank-4 updates, which pass
     * over the whole d × d triangle for every four samples: at d = 2,000 (a row-space design)
     * that is ~0.5 s against ~0.15 s per Hessian; below a few hundred features both take
     * microseconds and the updates need no scratch.
     */
    static final int TILED_HESSIAN_FEATURES = 256;

    /** Rank-4 updates of h by the kept samples, four at a time. */
    private void addRank4Updates(double[][] h, int kept) {
        int q = 0;
        for (; q + 4 <= kept; q += 4) {
            int a = keptRows[q];
            int b = keptRows[q + 1];
            int c = keptRows[q + 2];
            int e = keptRows[q + 3];
            Kernels.addRank4Upper(h, d, curvature[a], x.row(a), curvature[b], x.row(b), curvature[c], x.row(c),
                    curvature[e], x.row(e));
        }
        for (; q < kept; q++) {
            Kernels.addRank1Upper(h, d, curvature[keptRows[q]], x.row(keptRows[q]));
        }
    }
}
