package org.infodyn.probes.decoder;

import java.util.Arrays;

import org.infodyn.api.random.Rng;

/**
 * The {@code mlp} decoder family: one hidden layer of ReLU units on standardised features,
 * {@code p(y|x) = softmax(W2 relu(W1 x + b1) + b2)}, trained with a fixed budget of full-batch
 * Adam steps on the mean cross-entropy. The budget, not convergence, defines the estimator, so
 * every setting here is part of V.
 *
 * <p>Exact semantics (so that a re-implementation, e.g. in PyTorch, gives the same estimator):
 * <ul>
 *   <li>initialisation as {@code torch.nn.Linear}: every weight and bias ~ U(−1/√fan_in,
 *       1/√fan_in), drawn as {@code (2u − 1)/√fan_in} from one {@link Rng} seeded with the
 *       series seed, in the order W1 {@code [hidden, d]} row-major, b1, W2 {@code [K, hidden]}
 *       row-major (all K classes, even those absent from the fit samples), b2;
 *   <li>Adam as {@code torch.optim.Adam(params, lr, betas=(0.9, 0.999), eps=1e-8,
 *       weight_decay=l2)}: weight decay is L2 added to the gradient ({@code g + l2·θ}, all
 *       parameters, biases included), the same convention as infodyn's SGD; fresh Adam moments
 *       at every fit;
 *   <li>float32 arithmetic for parameters and activations (as a PyTorch float model), double
 *       for the loss.
 * </ul>
 * Only the classes present in the fit samples get output units (see {@link LabelCounts}).
 *
 * <p>Warm start is off by default for this family: the objective is not convex and the budget
 * is fixed, so starting from the previous point's network would change the estimator itself
 * (it would measure "what a decoder fine-tuned along the trajectory reads"), not just its speed.
 */
public final class MlpDecoder implements Decoder {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    /**
     * The estimator's settings.
     *
     * @param hidden hidden ReLU units, ≥ 1
     * @param steps full-batch Adam steps per fit, ≥ 1
     * @param learningRate Adam learning rate, &gt; 0
     * @param weightDecay L2 coefficient added to the gradient (PyTorch's {@code weight_decay}), ≥ 0
     * @param warmStart start from the previous fit's network instead of the seeded initialisation
     * @param seed seeds the initialisation
     */
    public record Settings(int hidden, int steps, double learningRate, double weightDecay, boolean warmStart, long seed) {
        public Settings {
            if (hidden < 1 || steps < 1 || !(learningRate > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("hidden " + hidden + ", steps " + steps + ", learningRate "
                        + learningRate + ", weightDecay " + weightDecay);
            }
        }
    }

    private final int classes;
    private final int d;
    private final int h;
    private final Settings settings;
    // Parameters, one array per row. W1 is kept transposed ([d][hidden]) so that both the
    // forward pass and the weight gradient are axpys over the hidden units, which vectorise
    // (see DesignMatrix for why arrays of arrays).
    private final float[][] w1t;
    private final float[] b1;
    private final float[][] w2; // [classes][hidden]
    private final float[] b2;
    private boolean hasSolution;
    private LabelCounts fitted;

    /**
     * @param classes K, ≥ 2
     * @param dimension d, ≥ 1
     * @param settings the estimator's settings
     */
    public MlpDecoder(int classes, int dimension, Settings settings) {
        if (classes < 2 || dimension < 1) {
            throw new IllegalArgumentException("classes " + classes + ", dimension " + dimension);
        }
        this.classes = classes;
        this.d = dimension;
        this.h = settings.hidden();
        this.settings = settings;
        this.w1t = new float[d][h];
        this.b1 = new float[h];
        this.w2 = new float[classes][h];
        this.b2 = new float[classes];
    }

    private void initialise() {
        Rng rng = new Rng(settings.seed());
        double bound1 = 1 / Math.sqrt(d);
        for (int j = 0; j < h; j++) {
            for (int k = 0; k < d; k++) {
                w1t[k][j] = (float) ((2 * rng.nextDouble() - 1) * bound1);
            }
        }
        for (int j = 0; j < h; j++) {
            b1[j] = (float) ((2 * rng.nextDouble() - 1) * bound1);
        }
        double bound2 = 1 / Math.sqrt(h);
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < h; j++) {
                w2[c][j] = (float) ((2 * rng.nextDouble() - 1) * bound2);
            }
        }
        for (int c = 0; c < classes; c++) {
            b2[c] = (float) ((2 * rng.nextDouble() - 1) * bound2);
        }
    }

    @Override
    public void fit(DesignMatrix x, int[] labels, LabelCounts counts) {
        checkShape(x, labels);
        if (!settings.warmStart() || !hasSolution) {
            initialise();
        }
        int[] present = counts.presentClasses();
        int[] index = counts.presentIndex();
        int k = present.length;
        int n = labels.length;
        float[][] xs = toFloat(x);
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            targets[i] = index[labels[i]];
        }
        // Working output layer: the present classes' rows (copies, written back at the end).
        float[][] v2 = new float[k][];
        float[] c2 = new float[k];
        for (int c = 0; c < k; c++) {
            v2[c] = w2[present[c]].clone();
            c2[c] = b2[present[c]];
        }
        Network net = new Network(w1t, b1, v2, c2);
        Network grad = Network.zerosLike(net);
        Network m = Network.zerosLike(net);
        Network v = Network.zerosLike(net);
        Block block = new Block(h);
        double[] z = new double[k];
        float wd = (float) settings.weightDecay();
        double loss = Double.NaN;
        for (int step = 1; step <= settings.steps(); step++) {
            loss = lossAndGradient(xs, targets, net, grad, block, z);
            if (!Double.isFinite(loss)) {
                break;
            }
            double bc1 = 1 - Math.pow(BETA1, step);
            double bc2 = 1 - Math.pow(BETA2, step);
            float stepSize = (float) (settings.learningRate() / bc1);
            float sqrtBc2 = (float) Math.sqrt(bc2);
            for (int p = 0; p < net.arrays.length; p++) {
                adam(net.arrays[p], grad.arrays[p], m.arrays[p], v.arrays[p], wd, stepSize, sqrtBc2);
            }
        }
        for (int c = 0; c < k; c++) {
            w2[present[c]] = v2[c];
            b2[present[c]] = c2[c];
        }
        hasSolution = Double.isFinite(loss);
        fitted = counts;
    }

    /**
     * A network's tensors (parameters, gradients or Adam moments) as views of one list of
     * arrays: W1ᵀ rows, b1, W2 rows (present classes), b2.
     */
    private static final class Network {
        final float[][] w1t;
        final float[] b1;
        final float[][] w2;
        final float[] b2;
        final float[][] arrays; // every array above, for element-wise updates

        Network(float[][] w1t, float[] b1, float[][] w2, float[] b2) {
            this.w1t = w1t;
            this.b1 = b1;
            this.w2 = w2;
            this.b2 = b2;
            arrays = new float[w1t.length + w2.length + 2][];
            int a = 0;
            for (float[] r : w1t) {
                arrays[a++] = r;
            }
            arrays[a++] = b1;
            for (float[] r : w2) {
                arrays[a++] = r;
            }
            arrays[a] = b2;
        }

        static Network zerosLike(Network p) {
            float[][] w1t = new float[p.w1t.length][p.b1.length];
            float[][] w2 = new float[p.w2.length][p.b1.length];
            return new Network(w1t, new float[p.b1.length], w2, new float[p.b2.length]);
        }
    }

    /** One PyTorch Adam update of one parameter array (L2 weight decay added to the gradient). */
    private static void adam(float[] theta, float[] g, float[] m, float[] v, float wd, float stepSize, float sqrtBc2) {
        float oneMinusB1 = 1 - BETA1;
        float oneMinusB2 = 1 - BETA2;
        for (int i = 0; i < theta.length; i++) {
            float gi = g[i] + wd * theta[i];
            float mi = BETA1 * m[i] + oneMinusB1 * gi;
            float vi = BETA2 * v[i] + oneMinusB2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            theta[i] -= stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + EPS);
        }
    }

    /**
     * Mean cross-entropy (nats) on the fit samples and its gradient, four samples at a time
     * (forward and backward fused per block, so no n × hidden activations are stored, and each
     * row of W1ᵀ and of its gradient is streamed once per block rather than once per sample).
     */
    private double lossAndGradient(float[][] xs, int[] targets, Network net, Network grad, Block block, double[] z) {
        for (float[] g : grad.arrays) {
            Arrays.fill(g, 0);
        }
        int n = targets.length;
        int k = net.b2.length;
        float invN = 1f / n;
        double loss = 0;
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int b = Math.min(BLOCK, n - i0);
            forwardHidden(net.w1t, net.b1, xs, i0, b, block.hid);
            for (int r = 0; r < b; r++) {
                float[] hid = block.hid[r];
                float[] delta = block.delta[r];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    z[c] = net.b2[c] + Kernels.dot(net.w2[c], hid, h);
                    max = Math.max(max, z[c]);
                }
                int y = targets[i0 + r];
                double zy = z[y];
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    z[c] = Math.exp(z[c] - max);
                    sum += z[c];
                }
                loss += max + Math.log(sum) - zy;
                Arrays.fill(delta, 0);
                for (int c = 0; c < k; c++) {
                    float rc = (float) (z[c] / sum - (c == y ? 1 : 0)) * invN;
                    grad.b2[c] += rc;
                    Kernels.axpy(rc, hid, grad.w2[c], h);
                    Kernels.axpy(rc, net.w2[c], delta, h);
                }
                for (int j = 0; j < h; j++) {
                    delta[j] = hid[j] > 0 ? delta[j] : 0; // ReLU'
                }
                Kernels.axpy(1f, delta, grad.b1, h);
            }
            float[][] dl = block.delta;
            if (b == BLOCK) {
                float[] x0 = xs[i0];
                float[] x1 = xs[i0 + 1];
                float[] x2 = xs[i0 + 2];
                float[] x3 = xs[i0 + 3];
                for (int f = 0; f < d; f++) {
                    Kernels.addWeighted4(grad.w1t[f], x0[f], dl[0], x1[f], dl[1], x2[f], dl[2], x3[f], dl[3], h);
                }
            } else {
                for (int r = 0; r < b; r++) {
                    float[] xr = xs[i0 + r];
                    for (int f = 0; f < d; f++) {
                        Kernels.axpy(xr[f], dl[r], grad.w1t[f], h);
                    }
                }
            }
        }
        return loss / n;
    }

    /** Samples per block of the fused forward/backward pass. */
    private static final int BLOCK = 4;

    /** Hidden activations and back-propagated errors of one block of samples. */
    private static final class Block {
        final float[][] hid;
        final float[][] delta;

        Block(int hidden) {
            hid = new float[BLOCK][hidden];
            delta = new float[BLOCK][hidden];
        }
    }

    /** relu(W1 x + b1) for samples {@code i0 .. i0+b−1} into {@code hid[0..b)}. */
    private void forwardHidden(float[][] weights1t, float[] bias1, float[][] xs, int i0, int b, float[][] hid) {
        for (int r = 0; r < b; r++) {
            System.arraycopy(bias1, 0, hid[r], 0, h);
        }
        if (b == BLOCK) {
            float[] x0 = xs[i0];
            float[] x1 = xs[i0 + 1];
            float[] x2 = xs[i0 + 2];
            float[] x3 = xs[i0 + 3];
            for (int f = 0; f < d; f++) {
                Kernels.axpy4(x0[f], x1[f], x2[f], x3[f], weights1t[f], hid[0], hid[1], hid[2], hid[3], h);
            }
        } else {
            for (int r = 0; r < b; r++) {
                float[] xr = xs[i0 + r];
                for (int f = 0; f < d; f++) {
                    Kernels.axpy(xr[f], weights1t[f], hid[r], h);
                }
            }
        }
        for (int r = 0; r < b; r++) {
            float[] hr = hid[r];
            for (int j = 0; j < h; j++) {
                hr[j] = Math.max(hr[j], 0f);
            }
        }
    }

    @Override
    public int lastIterations() {
        return settings.steps(); // a fixed budget: lastConverged() stays NaN
    }

    @Override
    public Evaluation evaluate(DesignMatrix x, int[] labels) {
        if (fitted == null) {
            throw new IllegalStateException("evaluate before fit");
        }
        checkShape(x, labels);
        int[] present = fitted.presentClasses();
        int k = present.length;
        float[][] xs = toFloat(x);
        Block block = new Block(h);
        double[] z = new double[k];
        CrossEntropy.Accumulator score = new CrossEntropy.Accumulator(fitted);
        for (int i0 = 0; i0 < labels.length; i0 += BLOCK) {
            int b = Math.min(BLOCK, labels.length - i0);
            forwardHidden(w1t, b1, xs, i0, b, block.hid);
            for (int r = 0; r < b; r++) {
                for (int c = 0; c < k; c++) {
                    z[c] = b2[present[c]] + Kernels.dot(w2[present[c]], block.hid[r], h);
                }
                score.add(z, labels[i0 + r]);
            }
        }
        return score.result();
    }

    private static float[][] toFloat(DesignMatrix x) {
        float[][] out = new float[x.rows()][x.cols()];
        for (int i = 0; i < out.length; i++) {
            double[] r = x.row(i);
            float[] o = out[i];
            for (int j = 0; j < o.length; j++) {
                o[j] = (float) r[j];
            }
        }
        return out;
    }

    private void checkShape(DesignMatrix x, int[] labels) {
        if (x.cols() != d || x.rows() != labels.length) {
            throw new IllegalArgumentException("expected " + labels.length + " × " + d + " features, got " + x);
        }
    }
}
