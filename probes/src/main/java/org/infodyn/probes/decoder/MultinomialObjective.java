package org.infodyn.probes.decoder;

import java.util.Arrays;

/**
 * Multinomial logistic regression objective over k classes:
 * {@code mean_i [lse(z_i) − z_i[y_i]] + (l2/2)·‖W‖²} with {@code z_i = W x_i + b} (nats; the
 * bias is not penalised). Parameters are laid out as {@code [W (k × d, row-major) | b (k)]}.
 * Logits are computed feature by feature over the columns, the gradient sample by sample over the
 * rows (see {@link DesignMatrix} for why). Not thread-safe (work arrays).
 */
final class MultinomialObjective implements DifferentiableFunction {
    private final DesignMatrix x;
    private final int n;
    private final int d;
    private final int k;
    private final int[] y;
    private final double l2;
    private final double[][] z; // [k][n]: logits, then ∂loss/∂logit
    private final double[][] gw; // [k][d]
    private final double[] gb; // [k]

    /**
     * @param design the fit samples
     * @param targets for each row the index of its class among the k modelled classes
     * @param k number of modelled classes, ≥ 2
     * @param l2 penalty weight on W
     */
    MultinomialObjective(DesignMatrix design, int[] targets, int k, double l2) {
        this.x = design;
        this.n = design.rows();
        this.d = design.cols();
        this.k = k;
        this.y = targets;
        this.l2 = l2;
        this.z = new double[k][n];
        this.gw = new double[k][d];
        this.gb = new double[k];
    }

    /**
     * Each sample's largest class curvature {@code max_c p_c(1 − p_c)} at {@code theta}: an
     * estimate of the sample's share of the Hessian, for {@link GramPreconditioner#atCurvature}.
     *
     * @param out receives n values
     */
    void curvatures(double[] theta, double[] out) {
        logits(theta);
        for (int i = 0; i < n; i++) {
            softmax(i);
            double largest = 0;
            for (int c = 0; c < k; c++) {
                double p = z[c][i];
                largest = Math.max(largest, p * (1 - p));
            }
            out[i] = largest;
        }
    }

    /** Replaces sample i's logits in z by its softmax probabilities; returns {@code lse(z_i)}, nats. */
    private double softmax(int i) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, z[c][i]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double ez = Math.exp(z[c][i] - max);
            z[c][i] = ez;
            sum += ez;
        }
        double inv = 1 / sum;
        for (int c = 0; c < k; c++) {
            z[c][i] *= inv;
        }
        return max + Math.log(sum);
    }

    @Override
    public int dimension() {
        return k * (d + 1);
    }

    @Override
    public double valueAndGradient(double[] theta, double[] grad) {
        logits(theta);
        for (int c = 0; c < k; c++) {
            Arrays.fill(gw[c], 0);
        }
        double loss = 0;
        Arrays.fill(gb, 0);
        for (int i = 0; i < n; i++) { // z becomes ∂loss/∂logit = softmax − one-hot
            int yi = y[i];
            double zy = z[yi][i];
            loss += softmax(i) - zy; // −ln softmax(z)[y] = lse(z) − z[y]
            for (int c = 0; c < k; c++) {
                double r = z[c][i] - (c == yi ? 1 : 0);
                z[c][i] = r;
                gb[c] += r;
            }
        }
        // sample by sample, four at a time: each class's gradient row is loaded and stored once for four samples
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            double[] r0 = x.row(i);
            double[] r1 = x.row(i + 1);
            double[] r2 = x.row(i + 2);
            double[] r3 = x.row(i + 3);
            int to = x.rowTo(i + 3);
            for (int c = 0; c < k; c++) {
                double[] zc = z[c];
                Kernels.addWeighted4(gw[c], zc[i], r0, zc[i + 1], r1, zc[i + 2], r2, zc[i + 3], r3, 0, to);
            }
        }
        for (; i < n; i++) {
            double[] row = x.row(i);
            int to = x.rowTo(i);
            for (int c = 0; c < k; c++) {
                Kernels.axpy(z[c][i], row, gw[c], 0, to);
            }
        }
        double invN = 1.0 / n;
        double penalty = 0;
        for (int c = 0; c < k; c++) {
            double[] g = gw[c];
            for (int j = 0; j < d; j++) {
                double w = theta[c * d + j];
                penalty += w * w;
                grad[c * d + j] = g[j] * invN + l2 * w;
            }
            grad[biasOffset() + c] = gb[c] * invN;
        }
        return loss * invN + 0.5 * l2 * penalty;
    }

    private int biasOffset() {
        return k * d;
    }

    /**
     * z = the logits at theta, feature by feature for every class, four features at a time: each
     * column is read from memory once, not k times, and each logit row loaded and stored once for
     * four features. (Rows and columns of a lower-trapezoidal design hold explicit zeros where
     * {@link DesignMatrix#rowTo} and {@link DesignMatrix#columnFrom} say so, which the blocks of
     * four may pass over.)
     */
    private void logits(double[] theta) {
        for (int c = 0; c < k; c++) {
            Arrays.fill(z[c], theta[biasOffset() + c]);
        }
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            double[] c0 = x.column(j);
            double[] c1 = x.column(j + 1);
            double[] c2 = x.column(j + 2);
            double[] c3 = x.column(j + 3);
            int from = x.columnFrom(j);
            for (int c = 0; c < k; c++) {
                int o = c * d + j;
                Kernels.addWeighted4(z[c], theta[o], c0, theta[o + 1], c1, theta[o + 2], c2, theta[o + 3], c3, from, n);
            }
        }
        for (; j < d; j++) {
            double[] column = x.column(j);
            int from = x.columnFrom(j);
            for (int c = 0; c < k; c++) {
                Kernels.axpy(theta[c * d + j], column, z[c], from, n);
            }
        }
    }
}
