package org.infodyn.probes.decoder;

import java.util.Arrays;

import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;

/**
 * The {@code mlp} decoder family: {@code hiddenLayers} layers of {@code hidden} ReLU units on
 * standardised features, {@code p(y|x) = softmax(W_out relu(… relu(W1 x + b1) …) + b_out)}, trained
 * with a budget of full-batch Adam steps on the mean cross-entropy. The budget, not convergence,
 * defines the estimator, so every setting here is part of V.
 *
 * <p>Exact semantics (so that a re-implementation, e.g. in PyTorch, gives the same estimator):
 * <ul>
 *   <li>initialisation as {@code torch.nn.Linear}: every weight and bias ~ U(−1/√fan_in,
 *       1/√fan_in), drawn as {@code (2u − 1)/√fan_in} from one {@link Rng} seeded with the
 *       series seed, in the order W1 {@code [hidden, d]} row-major, b1, W2, b2, …, W_out
 *       {@code [K, hidden]} row-major (all K classes, even those absent from the fit samples),
 *       b_out;
 *   <li>Adam as {@code torch.optim.Adam(params, lr, betas=(0.9, 0.999), eps=1e-8,
 *       weight_decay=l2)}: weight decay is L2 added to the gradient ({@code g + l2·θ}, all
 *       parameters, biases included), the same convention as infodyn's SGD; fresh Adam moments
 *       at every fit;
 *   <li>float32 arithmetic for parameters and activations (as a PyTorch float model), double
 *       for the loss.
 * </ul>
 * Only the classes present in the fit samples get output units (see {@link LabelCounts}).
 *
 * <p>Capacity options, to see whether an estimate has converged in the decoder's capacity (all off
 * by default, which is the one-layer, fixed-budget estimator above):
 * <ul>
 *   <li>{@code restarts} R &gt; 1: R initialisations (the first from the series seed, restart r
 *       from {@code Seeds.derive(seed, "restart-r")}), each trained with the full budget; the one
 *       with the lowest mean cross-entropy on the samples it was trained on is kept (selection
 *       never looks at the scoring samples);
 *   <li>early stopping ({@code validationFraction} f &gt; 0): a seeded fraction f of the fit
 *       samples ({@code Seeds.derive(seed, "validation")}) is held out of training; after every
 *       Adam step the validation cross-entropy is measured, the network with the lowest one is
 *       kept, and training stops after {@code patience} steps without improvement.
 * </ul>
 *
 * <p>Warm start is off by default for this family: the objective is not convex and the budget
 * is fixed, so starting from the previous point's network would change the estimator itself
 * (it would measure "what a decoder fine-tuned along the trajectory reads"), not just its speed.
 * With restarts, only the first starts warm.
 */
public final class MlpDecoder implements Decoder {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    /**
     * The estimator's settings.
     *
     * @param hidden hidden ReLU units per hidden layer, ≥ 1
     * @param hiddenLayers hidden layers, ≥ 1
     * @param steps full-batch Adam steps per fit (per restart; the most with early stopping), ≥ 1
     * @param learningRate Adam learning rate, &gt; 0
     * @param weightDecay L2 coefficient added to the gradient (PyTorch's {@code weight_decay}), ≥ 0
     * @param warmStart start from the previous fit's network instead of the seeded initialisation
     * @param seed seeds the initialisation (and the validation split)
     * @param restarts initialisations per fit, the best fit-sample loss kept, ≥ 1
     * @param validationFraction early stopping's held-out fraction of the fit samples; 0 = off,
     *        else in (0, 0.5]
     * @param patience early stopping: steps without a better validation loss before stopping, ≥ 1
     */
    public record Settings(int hidden, int hiddenLayers, int steps, double learningRate, double weightDecay,
            boolean warmStart, long seed, int restarts, double validationFraction, int patience) {
        public Settings {
            if (hidden < 1 || hiddenLayers < 1 || steps < 1 || !(learningRate > 0) || !(weightDecay >= 0)
                    || restarts < 1 || !(validationFraction >= 0 && validationFraction <= 0.5) || patience < 1) {
                throw new IllegalArgumentException("hidden " + hidden + ", hiddenLayers " + hiddenLayers + ", steps " + steps
                        + ", learningRate " + learningRate + ", weightDecay " + weightDecay + ", restarts " + restarts
                        + ", validationFraction " + validationFraction + ", patience " + patience);
            }
        }

        /** One hidden layer, one initialisation, no early stopping: the default estimator. */
        public static Settings of(int hidden, int steps, double learningRate, double weightDecay, boolean warmStart, long seed) {
            return new Settings(hidden, 1, steps, learningRate, weightDecay, warmStart, seed, 1, 0, 1);
        }

        boolean earlyStopping() {
            return validationFraction > 0;
        }
    }

    private final int classes;
    private final int d;
    private final int h;
    private final Settings settings;
    /** The current network, with an output row for every class. */
    private final Network params;
    private boolean hasSolution;
    private LabelCounts fitted;
    private int lastSteps;

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
        this.params = Network.zeros(d, h, settings.hiddenLayers(), classes);
    }

    private void initialise(long seed) {
        Rng rng = new Rng(seed);
        for (int l = 0; l < params.layers(); l++) {
            float[][] wt = params.wt[l];
            double bound = 1 / Math.sqrt(wt.length);
            for (int j = 0; j < h; j++) {
                for (float[] row : wt) {
                    row[j] = (float) ((2 * rng.nextDouble() - 1) * bound);
                }
            }
            float[] b = params.b[l];
            for (int j = 0; j < h; j++) {
                b[j] = (float) ((2 * rng.nextDouble() - 1) * bound);
            }
        }
        double bound = 1 / Math.sqrt(h);
        for (float[] row : params.w2) {
            for (int j = 0; j < h; j++) {
                row[j] = (float) ((2 * rng.nextDouble() - 1) * bound);
            }
        }
        for (int c = 0; c < classes; c++) {
            params.b2[c] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
    }

    @Override
    public void fit(DesignMatrix x, int[] labels, LabelCounts counts) {
        checkShape(x, labels);
        int[] present = counts.presentClasses();
        int[] index = counts.presentIndex();
        float[][] xs = toFloat(x);
        int[] targets = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            targets[i] = index[labels[i]];
        }
        Samples train = new Samples(xs, targets);
        Samples validation = null;
        if (settings.earlyStopping()) {
            Samples[] parts = train.split(settings.validationFraction(), Seeds.derive(settings.seed(), "validation"));
            train = parts[0];
            validation = parts[1];
        }
        Network best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        Trained kept = null;
        for (int r = 0; r < settings.restarts(); r++) {
            if (r > 0 || !settings.warmStart() || !hasSolution) {
                initialise(r == 0 ? settings.seed() : Seeds.derive(settings.seed(), "restart-" + r));
            }
            Network net = params.withOutputRows(present);
            Trained trained = train(net, train, validation);
            if (settings.restarts() == 1) {
                best = net;
                kept = trained;
                break;
            }
            double loss = trained.finite() ? meanLoss(net, train) : Double.NaN;
            // A diverged restart (NaN) is kept only when no restart stayed finite.
            if (best == null || loss < bestLoss || Double.isNaN(bestLoss) && !Double.isNaN(loss)) {
                best = net.copy();
                bestLoss = loss;
                kept = trained;
            }
        }
        params.setFrom(best, present);
        lastSteps = kept.steps();
        hasSolution = kept.finite();
        fitted = counts;
    }

    /** The outcome of training one initialisation: steps to the kept network, and whether its loss stayed finite. */
    private record Trained(int steps, boolean finite) {
    }

    /** Trains {@code net} in place with Adam (stopping early when the loss becomes non-finite). */
    private Trained train(Network net, Samples train, Samples validation) {
        Network grad = net.zerosLike();
        Network m = net.zerosLike();
        Network v = net.zerosLike();
        Block block = new Block(net.layers(), h);
        double[] z = new double[net.b2.length];
        float wd = (float) settings.weightDecay();
        Network bestSoFar = null;
        double bestValidation = Double.POSITIVE_INFINITY;
        int bestStep = 0;
        if (validation != null) {
            bestValidation = meanLoss(net, validation);
            bestSoFar = net.copy();
        }
        for (int step = 1; step <= settings.steps(); step++) {
            double loss = lossAndGradient(train, net, grad, block, z);
            if (!Double.isFinite(loss)) {
                return new Trained(step - 1, false);
            }
            double bc1 = 1 - Math.pow(BETA1, step);
            double bc2 = 1 - Math.pow(BETA2, step);
            float stepSize = (float) (settings.learningRate() / bc1);
            float sqrtBc2 = (float) Math.sqrt(bc2);
            for (int p = 0; p < net.arrays.length; p++) {
                adam(net.arrays[p], grad.arrays[p], m.arrays[p], v.arrays[p], wd, stepSize, sqrtBc2);
            }
            if (validation != null) {
                double vl = meanLoss(net, validation);
                if (vl < bestValidation) {
                    bestValidation = vl;
                    bestStep = step;
                    bestSoFar.setAll(net);
                } else if (step - bestStep >= settings.patience()) {
                    break;
                }
            }
        }
        if (validation == null) {
            return new Trained(settings.steps(), true);
        }
        net.setAll(bestSoFar);
        return new Trained(bestStep, true);
    }

    /** Fit samples (features as float32 rows) with their present-class targets. */
    private record Samples(float[][] x, int[] targets) {
        /** A seeded split: {@code [training part, held-out fraction]} (each ≥ 1 sample when n ≥ 2). */
        Samples[] split(double fraction, long seed) {
            int n = targets.length;
            int held = (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n)));
            int[] perm = new Rng(seed).permutation(n);
            // Keep both parts in the original order, so a row's place in the float sums does not
            // depend on the permutation beyond which part it is in.
            boolean[] isHeld = new boolean[n];
            for (int i = 0; i < held; i++) {
                isHeld[perm[i]] = true;
            }
            float[][][] xs = {new float[n - held][], new float[held][]};
            int[][] ts = {new int[n - held], new int[held]};
            int[] fill = new int[2];
            for (int i = 0; i < n; i++) {
                int part = isHeld[i] ? 1 : 0;
                xs[part][fill[part]] = x[i];
                ts[part][fill[part]++] = targets[i];
            }
            return new Samples[] {new Samples(xs[0], ts[0]), new Samples(xs[1], ts[1])};
        }
    }

    /**
     * A network's tensors (parameters, gradients or Adam moments) as views of one list of arrays:
     * per hidden layer l its weights transposed ({@code wt[l]}: [fan-in][hidden], so that both the
     * forward pass and the weight gradient are axpys over the hidden units, which vectorise; see
     * DesignMatrix for why arrays of arrays) and bias, then the output rows and bias.
     */
    private static final class Network {
        final float[][][] wt;
        final float[][] b;
        final float[][] w2;
        final float[] b2;
        final float[][] arrays; // every array above, for element-wise updates

        Network(float[][][] wt, float[][] b, float[][] w2, float[] b2) {
            this.wt = wt;
            this.b = b;
            this.w2 = w2;
            this.b2 = b2;
            int count = w2.length + 1;
            for (float[][] layer : wt) {
                count += layer.length + 1;
            }
            arrays = new float[count][];
            int a = 0;
            for (int l = 0; l < wt.length; l++) {
                for (float[] r : wt[l]) {
                    arrays[a++] = r;
                }
                arrays[a++] = b[l];
            }
            for (float[] r : w2) {
                arrays[a++] = r;
            }
            arrays[a] = b2;
        }

        static Network zeros(int d, int h, int layers, int outputs) {
            float[][][] wt = new float[layers][][];
            for (int l = 0; l < layers; l++) {
                wt[l] = new float[l == 0 ? d : h][h];
            }
            return new Network(wt, new float[layers][h], new float[outputs][h], new float[outputs]);
        }

        int layers() {
            return wt.length;
        }

        Network zerosLike() {
            return zeros(wt[0].length, b[0].length, layers(), b2.length);
        }

        Network copy() {
            Network c = zerosLike();
            c.setAll(this);
            return c;
        }

        void setAll(Network from) {
            for (int a = 0; a < arrays.length; a++) {
                System.arraycopy(from.arrays[a], 0, arrays[a], 0, arrays[a].length);
            }
        }

        /** A working network sharing the hidden layers, with copies of the given output rows. */
        Network withOutputRows(int[] rows) {
            float[][] w = new float[rows.length][];
            float[] bias = new float[rows.length];
            for (int c = 0; c < rows.length; c++) {
                w[c] = w2[rows[c]].clone();
                bias[c] = b2[rows[c]];
            }
            return new Network(wt, b, w, bias);
        }

        /** Copies {@code from} (a working network of the given output rows) into this one. */
        void setFrom(Network from, int[] rows) {
            for (int l = 0; l < wt.length; l++) {
                if (from.wt[l] != wt[l]) {
                    for (int f = 0; f < wt[l].length; f++) {
                        System.arraycopy(from.wt[l][f], 0, wt[l][f], 0, wt[l][f].length);
                    }
                    System.arraycopy(from.b[l], 0, b[l], 0, b[l].length);
                }
            }
            for (int c = 0; c < rows.length; c++) {
                System.arraycopy(from.w2[c], 0, w2[rows[c]], 0, w2[rows[c]].length);
                b2[rows[c]] = from.b2[c];
            }
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
     * Mean cross-entropy (nats) on the training samples and its gradient, four samples at a time
     * (forward and backward fused per block, so no n × hidden activations are stored, and each
     * row of a weight matrix and of its gradient is streamed once per block rather than once per
     * sample).
     */
    private double lossAndGradient(Samples samples, Network net, Network grad, Block block, double[] z) {
        for (float[] g : grad.arrays) {
            Arrays.fill(g, 0);
        }
        float[][] xs = samples.x();
        int[] targets = samples.targets();
        int n = targets.length;
        int k = net.b2.length;
        int top = net.layers() - 1;
        float invN = 1f / n;
        double loss = 0;
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int b = Math.min(BLOCK, n - i0);
            forward(net, xs, i0, b, block);
            for (int r = 0; r < b; r++) {
                float[] hid = block.hid[top][r];
                float[] delta = block.delta[top][r];
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
                reluGradient(hid, delta);
                Kernels.axpy(1f, delta, grad.b[top], h);
            }
            for (int l = top; l >= 0; l--) {
                float[][] in = l == 0 ? xs : block.hid[l - 1];
                int from = l == 0 ? i0 : 0;
                float[][] dl = block.delta[l];
                float[][] gw = grad.wt[l];
                if (b == BLOCK) {
                    float[] x0 = in[from];
                    float[] x1 = in[from + 1];
                    float[] x2 = in[from + 2];
                    float[] x3 = in[from + 3];
                    for (int f = 0; f < gw.length; f++) {
                        Kernels.addWeighted4(gw[f], x0[f], dl[0], x1[f], dl[1], x2[f], dl[2], x3[f], dl[3], h);
                    }
                } else {
                    for (int r = 0; r < b; r++) {
                        float[] xr = in[from + r];
                        for (int f = 0; f < gw.length; f++) {
                            Kernels.axpy(xr[f], dl[r], gw[f], h);
                        }
                    }
                }
                if (l > 0) {
                    // Back through layer l to the units of layer l − 1: δ_{l−1}[f] = relu'(·) Σ_j Wᵀ[f][j] δ_l[j].
                    float[][] wt = net.wt[l];
                    for (int r = 0; r < b; r++) {
                        float[] below = block.delta[l - 1][r];
                        for (int f = 0; f < h; f++) {
                            below[f] = Kernels.dot(wt[f], dl[r], h);
                        }
                        reluGradient(block.hid[l - 1][r], below);
                        Kernels.axpy(1f, below, grad.b[l - 1], h);
                    }
                }
            }
        }
        return loss / n;
    }

    private void reluGradient(float[] activation, float[] delta) {
        for (int j = 0; j < h; j++) {
            delta[j] = activation[j] > 0 ? delta[j] : 0;
        }
    }

    /**
     * For the finite-difference check of back-propagation (package-private, tests only): the mean
     * loss (nats) of the seeded initial network, parameter {@code at} (an index into the flat list
     * W1ᵀ rows, b1, …, output rows, output bias, with an output row per present class) moved by
     * {@code delta}, followed by the loss's gradient at that point.
     */
    double[] lossAndGradientAtInitialisation(DesignMatrix x, int[] labels, LabelCounts counts, int at, float delta) {
        initialise(settings.seed());
        int[] index = counts.presentIndex();
        int[] targets = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            targets[i] = index[labels[i]];
        }
        Network net = params.withOutputRows(counts.presentClasses());
        int offset = 0;
        for (float[] a : net.arrays) {
            if (at >= offset && at < offset + a.length) {
                a[at - offset] += delta;
            }
            offset += a.length;
        }
        Network grad = net.zerosLike();
        double loss = lossAndGradient(new Samples(toFloat(x), targets), net, grad, new Block(net.layers(), h),
                new double[net.b2.length]);
        double[] out = new double[offset + 1];
        out[0] = loss;
        int i = 1;
        for (float[] a : grad.arrays) {
            for (float g : a) {
                out[i++] = g;
            }
        }
        return out;
    }

    /** Mean cross-entropy (nats) of a working network on some samples. */
    private double meanLoss(Network net, Samples samples) {
        float[][] xs = samples.x();
        int[] targets = samples.targets();
        int k = net.b2.length;
        int top = net.layers() - 1;
        Block block = new Block(net.layers(), h);
        double[] z = new double[k];
        double loss = 0;
        for (int i0 = 0; i0 < targets.length; i0 += BLOCK) {
            int b = Math.min(BLOCK, targets.length - i0);
            forward(net, xs, i0, b, block);
            for (int r = 0; r < b; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    z[c] = net.b2[c] + Kernels.dot(net.w2[c], block.hid[top][r], h);
                    max = Math.max(max, z[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += Math.exp(z[c] - max);
                }
                loss += max + Math.log(sum) - z[targets[i0 + r]];
            }
        }
        return loss / targets.length;
    }

    /** Samples per block of the fused forward/backward pass. */
    private static final int BLOCK = 4;

    /** Hidden activations and back-propagated errors of one block of samples, per hidden layer. */
    private static final class Block {
        final float[][][] hid;
        final float[][][] delta;

        Block(int layers, int hidden) {
            hid = new float[layers][BLOCK][hidden];
            delta = new float[layers][BLOCK][hidden];
        }
    }

    /** Every hidden layer's activations for samples {@code i0 .. i0+b−1} into {@code block.hid[l][0..b)}. */
    private void forward(Network net, float[][] xs, int i0, int b, Block block) {
        for (int l = 0; l < net.layers(); l++) {
            float[][] in = l == 0 ? xs : block.hid[l - 1];
            layer(net.wt[l], net.b[l], in, l == 0 ? i0 : 0, b, block.hid[l]);
        }
    }

    /** relu(W x + bias) for input rows {@code from .. from+b−1} into {@code out[0..b)}. */
    private void layer(float[][] wt, float[] bias, float[][] in, int from, int b, float[][] out) {
        for (int r = 0; r < b; r++) {
            System.arraycopy(bias, 0, out[r], 0, h);
        }
        if (b == BLOCK) {
            float[] x0 = in[from];
            float[] x1 = in[from + 1];
            float[] x2 = in[from + 2];
            float[] x3 = in[from + 3];
            for (int f = 0; f < wt.length; f++) {
                Kernels.axpy4(x0[f], x1[f], x2[f], x3[f], wt[f], out[0], out[1], out[2], out[3], h);
            }
        } else {
            for (int r = 0; r < b; r++) {
                float[] xr = in[from + r];
                for (int f = 0; f < wt.length; f++) {
                    Kernels.axpy(xr[f], wt[f], out[r], h);
                }
            }
        }
        for (int r = 0; r < b; r++) {
            float[] hr = out[r];
            for (int j = 0; j < h; j++) {
                hr[j] = Math.max(hr[j], 0f);
            }
        }
    }

    /**
     * Adam steps to the kept network of the last fit (the budget, or the best validation step
     * with early stopping; of the kept restart).
     */
    @Override
    public int lastIterations() {
        return lastSteps;
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
        Network net = params.withOutputRows(present);
        int top = net.layers() - 1;
        Block block = new Block(net.layers(), h);
        double[] z = new double[k];
        CrossEntropy.Accumulator score = new CrossEntropy.Accumulator(fitted);
        for (int i0 = 0; i0 < labels.length; i0 += BLOCK) {
            int b = Math.min(BLOCK, labels.length - i0);
            forward(net, xs, i0, b, block);
            for (int r = 0; r < b; r++) {
                for (int c = 0; c < k; c++) {
                    z[c] = net.b2[c] + Kernels.dot(net.w2[c], block.hid[top][r], h);
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
