package org.infodyn.backend.tf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.backend.DeviceInfo;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ModelArguments;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.BatchNorm;
import org.infodyn.api.model.Conv2d;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.GlobalAvgPool;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.model.Pool2d;
import org.infodyn.api.model.Residual;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * One network as one TensorFlow graph and session. Parameters are kept in the canonical layout
 * (dense weights {@code [out, in]}, multiplied with {@code transpose_b}), so getting and setting
 * them needs no conversion.
 *
 * <p>The training op computes, in one run: logits, mean softmax cross-entropy on one-hot labels
 * (the sparse op has no registered gradient in TF Java 1.1.0), gradients of every parameter, then
 * — only after all gradients exist — {@code g += wd·p; buf = m·buf + g; p −= lr·buf} with
 * TensorFlow's fused ApplyMomentum kernel. The hyper-parameters are variables, assigned only
 * when they change.
 */
final class TfModel implements Model {
    private final ModelSpec spec;
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> x;
    private final Placeholder<TInt32> y;
    private final Operand<TFloat32> logits;
    private final Map<String, Operand<TFloat32>> layerOutputs = new LinkedHashMap<>();
    private final Map<String, Variable<TFloat32>> params = new LinkedHashMap<>();
    private final Map<String, Placeholder<TFloat32>> paramInputs = new LinkedHashMap<>();
    private final List<Op> assignParams = new ArrayList<>();
    private final Op resetBuffers;
    private final Op trainPlain;
    private final Op trainDecayed;
    private final Scalar lr;
    private final Scalar momentum;
    private final Scalar decay;
    private TFloat32 batchInputs;
    private TInt32 batchLabels;
    /** Gradients of the inference-mode loss, built on first use: only probes of gradients grow the graph. */
    private List<Operand<TFloat32>> inferenceGradients;
    private SgdSettings current;
    private boolean closed;
    private final DeviceInfo device;

    TfModel(ModelSpec spec, Parameters initial, int threads, DeviceInfo device) {
        this.spec = spec;
        this.device = device;
        this.graph = new Graph();
        try {
            Ops tf = TfDevices.ops(graph, device);
            long[] inShape = new long[spec.inputShape().length + 1];
            inShape[0] = -1;
            for (int i = 0; i < spec.inputShape().length; i++) {
                inShape[i + 1] = spec.inputShape()[i];
            }
            x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(inShape)));
            y = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));

            for (ParameterSpec p : spec.parameters()) {
                Shape shape = Shape.of(Arrays.stream(p.shape()).asLongStream().toArray());
                Variable<TFloat32> v = tf.variable(shape, TFloat32.class);
                Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
                params.put(p.name(), v);
                paramInputs.put(p.name(), in);
                assignParams.add(tf.assign(v, in));
            }

            // Two forward paths over the same variables: training (batch statistics, running
            // statistics updated by the training op) and inference (running statistics).
            Graphs net = new Graphs(tf);
            List<Op> statUpdates = new ArrayList<>();
            logits = net.toCanonical(net.chain(spec.layers(), net.toInternal(x), true, null, statUpdates));
            net.chain(spec.layers(), net.toInternal(x), false, layerOutputs, null);

            Operand<TFloat32> loss = meanCrossEntropy(tf, logits);

            // Hyper-parameters as scalar variables, assigned only when they change.
            lr = scalar(tf);
            momentum = scalar(tf);
            decay = scalar(tf);

            TfGradients grads = TfGradients.of(tf, loss, spec, params);
            List<Variable<TFloat32>> trainable = grads.trainable();
            List<Operand<TFloat32>> g = grads.gradients();
            // Updates wait for every gradient. ApplyMomentum is exactly the api's rule
            // (accum = momentum·accum + grad; var −= lr·accum; momentum 0 gives plain SGD).
            // Two variants, so that the common weight-decay-free case costs one op per parameter.
            Ops upd = grads.afterGradients();
            List<Op> plain = new ArrayList<>();
            List<Op> decayed = new ArrayList<>();
            List<Op> resets = new ArrayList<>();
            for (int i = 0; i < trainable.size(); i++) {
                Variable<TFloat32> p = trainable.get(i);
                Variable<TFloat32> buf = tf.variable(p.shape(), TFloat32.class);
                resets.add(tf.assign(buf, tf.zeros(tf.constant(p.shape().asArray()), TFloat32.class)));
                plain.add(upd.train.applyMomentum(p, buf, lr.variable(), g.get(i), momentum.variable(), ApplyMomentum.useNesterov(false)));
                Operand<TFloat32> gd = upd.math.add(g.get(i), upd.math.mul(decay.variable(), p));
                decayed.add(upd.train.applyMomentum(p, buf, lr.variable(), gd, momentum.variable(), ApplyMomentum.useNesterov(false)));
            }
            plain.addAll(statUpdates);
            decayed.addAll(statUpdates);
            trainPlain = tf.withControlDependencies(plain).noOp();
            trainDecayed = tf.withControlDependencies(decayed).noOp();
            resetBuffers = tf.withControlDependencies(resets).noOp();

            ConfigProto config = TfDevices.sessionConfig(threads, device);
            session = new Session(graph, config);
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
        setParameters(initial);
        session.runner().addTarget(resetBuffers).run().close();
    }

    /**
     * Builds layers into the graph. Images travel in NHWC (TensorFlow's CPU convolutions support
     * only channels-last); parameters stay in the canonical layout and are transposed by ops in
     * the graph, so gradients and get/set need no conversion. Outputs handed out (activations,
     * logits) are converted back to the canonical channels-first layout.
     */
    private final class Graphs {
        private final Ops tf;

        Graphs(Ops tf) {
            this.tf = tf;
        }

        /** Canonical NCHW input → internal NHWC (vectors unchanged). */
        Operand<TFloat32> toInternal(Operand<TFloat32> v) {
            return spec.inputShape().length == 3 ? tf.linalg.transpose(v, tf.constant(new int[] {0, 2, 3, 1})) : v;
        }

        /** Internal NHWC → canonical NCHW (vectors unchanged). */
        Operand<TFloat32> toCanonical(Operand<TFloat32> v) {
            return v.shape().numDimensions() == 4 ? tf.linalg.transpose(v, tf.constant(new int[] {0, 3, 1, 2})) : v;
        }

        Operand<TFloat32> chain(List<LayerSpec> layers, Operand<TFloat32> in, boolean training, Map<String, Operand<TFloat32>> outputs,
                List<Op> statUpdates) {
            Operand<TFloat32> h = in;
            for (LayerSpec layer : layers) {
                h = layer(layer, h, training, statUpdates);
                if (outputs != null) {
                    outputs.put(layer.name(), toCanonical(h));
                }
            }
            return h;
        }

        private Operand<TFloat32> layer(LayerSpec layer, Operand<TFloat32> h, boolean training, List<Op> statUpdates) {
            if (layer instanceof Dense d) {
                return tf.math.add(tf.linalg.matMul(h, params.get(d.name() + ".weight"), MatMul.transposeB(true)), params.get(d.name() + ".bias"));
            }
            if (layer instanceof Activation a) {
                return switch (a.function()) {
                    case RELU -> tf.nn.relu(h);
                    case TANH -> tf.math.tanh(h);
                };
            }
            if (layer instanceof Flatten f) {
                // flatten in the canonical (channels-first) order
                return tf.reshape(toCanonical(h), tf.constant(new long[] {-1, spec.outputSize(f.name())}));
            }
            if (layer instanceof Conv2d c) {
                Operand<TFloat32> filter = tf.linalg.transpose(params.get(c.name() + ".weight"), tf.constant(new int[] {2, 3, 1, 0}));
                long s = c.stride();
                Operand<TFloat32> conv;
                if (s == 1 && 2 * c.padding() == c.kernel() - 1) {
                    // 'SAME' at stride 1 pads (k − 1)/2 on every side: PyTorch's padding, with no Pad
                    // op and a backward pass over the unpadded input (measured: ~10 % of a ResNet step)
                    conv = tf.nn.conv2d(h, filter, List.of(1L, 1L, 1L, 1L), "SAME");
                } else {
                    Operand<TFloat32> in = h;
                    if (c.padding() > 0) { // PyTorch's symmetric zero padding, exactly ('SAME' is asymmetric at stride 2)
                        int p = c.padding();
                        in = tf.pad(h, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
                    }
                    conv = tf.nn.conv2d(in, filter, List.of(1L, s, s, 1L), "VALID");
                }
                // BiasAdd, not Add: oneDNN fuses it into the convolution
                return tf.nn.biasAdd(conv, params.get(c.name() + ".bias"));
            }
            if (layer instanceof Pool2d p) {
                long k = p.kernel();
                long s = p.stride();
                return p.function() == Pool2d.Function.MAX ? maxPool(h, k, s) : tf.nn.avgPool(h, List.of(1L, k, k, 1L), List.of(1L, s, s, 1L), "VALID");
            }
            if (layer instanceof GlobalAvgPool) {
                return tf.math.mean(h, tf.constant(new int[] {1, 2}));
            }
            if (layer instanceof BatchNorm b) {
                return batchNorm(b, h, training, statUpdates);
            }
            if (layer instanceof Residual r) {
                Operand<TFloat32> body = chain(r.body(), h, training, null, statUpdates);
                return tf.math.add(body, chain(r.shortcut(), h, training, null, statUpdates));
            }
            throw new IllegalStateException("unsupported layer " + layer);
        }

        /**
         * Max pooling as TensorFlow's {@code MaxPool} op, window and strides as attributes. TF Java
         * only offers {@code MaxPoolV2} (window and strides as tensors), which oneDNN's graph
         * rewrite does not take: its backward pass then runs in Eigen, 16 % of cnn-small's step
         * (TF's per-op profile: {@code MaxPoolGradV2} 6.9 ms a step against 1.8 ms for oneDNN's
         * {@code _MklNativeMaxPoolGrad}). Same values and gradients (the kit checks both).
         */
        private Operand<TFloat32> maxPool(Operand<TFloat32> h, long kernel, long stride) {
            return tf.scope().opBuilder("MaxPool", "MaxPool").addInput(h.asOutput())
                    .setAttr("ksize", new long[] {1, kernel, kernel, 1}).setAttr("strides", new long[] {1, stride, stride, 1})
                    .setAttr("padding", "VALID").build().output(0);
        }

        /**
         * Per-channel batch mean and biased variance of an NHWC activation, at least as precise as
         * PyTorch's CPU statistics (double sums; the mean rounded to float32 before the variance
         * pass). Float32 sums over a channel's N·H·W values are not: TF's own mean and variance
         * put 6e-5 relative error into the variance of a channel with a large mean and a small
         * spread (an image's uniform background; the kit's
         * {@code batchNormStatisticsArePreciseForALargeMeanAndASmallSpread}), and training
         * amplifies such errors (MNIST with batch norm against DJL: 4e-2 apart after 3 steps; 1.1e-3
         * with a float32 corrected two-pass algorithm). Here float32 only adds along one image row
         * (W values) and every longer sum is in double, over the row sums: the corrected two-pass
         * algorithm (Chan, Golub and LeVeque) on deviations from the float32 mean, which is a
         * constant for the gradient (the moments do not depend on it; autodiff through it would add
         * full-size passes). Relative variance error in the kit's test 3e-8; casting the whole
         * activation to double, as before, was as precise and cost resnet18-cifar ~7 % of its step.
         */
        private Moments imageMoments(Operand<TFloat32> h) {
            long channels = h.shape().size(3);
            if (channels <= 0) {
                throw new IllegalStateException("batch norm over an activation of unknown channels: " + h.shape());
            }
            Operand<TInt32> rowAxis = tf.constant(2); // NHWC: W
            Operand<TInt32> outerAxes = tf.constant(new int[] {0, 1}); // N and H of the row sums
            Operand<TFloat64> count = tf.math.div(tf.dtypes.cast(tf.size(h, TInt64.class), TFloat64.class), tf.constant((double) channels));
            Operand<TFloat64> firstMean = tf.math.div(tf.reduceSum(tf.dtypes.cast(tf.reduceSum(h, rowAxis), TFloat64.class), outerAxes), count);
            Operand<TFloat32> shift = tf.stopGradient(tf.dtypes.cast(firstMean, TFloat32.class));
            Operand<TFloat32> deviation = tf.math.sub(h, shift);
            Operand<TFloat64> sum = tf.reduceSum(tf.dtypes.cast(tf.reduceSum(deviation, rowAxis), TFloat64.class), outerAxes);
            Operand<TFloat64> squares = tf.reduceSum(
                    tf.dtypes.cast(tf.reduceSum(tf.math.square(deviation), rowAxis), TFloat64.class), outerAxes);
            Operand<TFloat64> correction = tf.math.div(sum, count);
            Operand<TFloat64> mean64 = tf.math.add(tf.dtypes.cast(shift, TFloat64.class), correction);
            // never below 0 (a constant channel, where the difference is exact anyway)
            Operand<TFloat64> var64 = tf.math.maximum(tf.math.sub(tf.math.div(squares, count), tf.math.square(correction)), tf.constant(0.0));
            return new Moments(tf.dtypes.cast(mean64, TFloat32.class), tf.dtypes.cast(var64, TFloat32.class));
        }

        /** Per-feature batch mean and biased variance of a {@code [N, F]} activation, in double (small). */
        private Moments featureMoments(Operand<TFloat32> h) {
            Operand<TInt32> batchAxis = tf.constant(0);
            Operand<TFloat64> h64 = tf.dtypes.cast(h, TFloat64.class);
            Operand<TFloat64> mean64 = tf.math.mean(h64, batchAxis);
            Operand<TFloat64> var64 = tf.math.mean(tf.math.square(tf.math.sub(h64, mean64)), batchAxis);
            return new Moments(tf.dtypes.cast(mean64, TFloat32.class), tf.dtypes.cast(var64, TFloat32.class));
        }

        /** PyTorch's batch norm: biased batch variance to normalise, unbiased one into the running average. */
        private Operand<TFloat32> batchNorm(BatchNorm b, Operand<TFloat32> h, boolean training, List<Op> statUpdates) {
            Variable<TFloat32> gamma = params.get(b.name() + ".weight");
            Variable<TFloat32> beta = params.get(b.name() + ".bias");
            Variable<TFloat32> runningMean = params.get(b.name() + ".running_mean");
            Variable<TFloat32> runningVar = params.get(b.name() + ".running_var");
            Operand<TFloat32> mean;
            Operand<TFloat32> var;
            if (training) {
                boolean image = h.shape().numDimensions() == 4;
                Moments moments = image ? imageMoments(h) : featureMoments(h);
                mean = moments.mean();
                var = moments.variance();
                // elements per channel in this batch, for the unbiased variance m/(m−1)
                Operand<TFloat32> m = tf.dtypes.cast(tf.math.div(tf.size(h), tf.size(mean)), TFloat32.class);
                Operand<TFloat32> unbiased = tf.math.mul(var, tf.math.div(m, tf.math.sub(m, tf.constant(1f))));
                Operand<TFloat32> keep = tf.constant((float) (1 - b.momentum()));
                Operand<TFloat32> take = tf.constant((float) b.momentum());
                statUpdates.add(tf.assign(runningMean, tf.math.add(tf.math.mul(keep, runningMean), tf.math.mul(take, tf.stopGradient(mean)))));
                statUpdates.add(tf.assign(runningVar, tf.math.add(tf.math.mul(keep, runningVar), tf.math.mul(take, tf.stopGradient(unbiased)))));
            } else {
                mean = runningMean;
                var = runningVar;
            }
            Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(var, tf.constant((float) b.epsilon())));
            return tf.math.add(tf.math.mul(tf.math.mul(tf.math.sub(h, mean), inv), gamma), beta);
        }
    }

    private static Shape shape(int[] dims) {
        return Shape.of(Arrays.stream(dims).asLongStream().toArray());
    }

    private static TFloat32 tensor(int[] dims, float[] data) {
        return TFloat32.tensorOf(shape(dims), DataBuffers.of(data, true, false));
    }

    private static Scalar scalar(Ops tf) {
        Variable<TFloat32> v = tf.variable(Shape.scalar(), TFloat32.class);
        Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        return new Scalar(v, in, tf.assign(v, in));
    }

    /** A batch's per-channel mean and biased variance. */
    private record Moments(Operand<TFloat32> mean, Operand<TFloat32> variance) {}

    /** A scalar hyper-parameter held in the graph, with the placeholder and op that set it. */
    private record Scalar(Variable<TFloat32> variable, Placeholder<TFloat32> input, Op assignOp) {
        void assign(Session.Runner runner, TFloat32 value) {
            runner.feed(input, value).addTarget(assignOp);
        }
    }

    private void closeBatchTensors() {
        if (batchInputs != null) {
            batchInputs.close();
            batchLabels.close();
            batchInputs = null;
            batchLabels = null;
        }
    }

    private static float[] read(TFloat32 t) {
        float[] out = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public StepResult step(FloatTensor inputs, int[] labels, SgdSettings sgd) {
        checkOpen();
        ModelArguments.checkStep(spec, inputs, labels);
        int k = spec.outputClasses();
        if (!sgd.equals(current)) {
            Session.Runner runner = session.runner();
            List<TFloat32> values = List.of(TFloat32.scalarOf((float) sgd.learningRate()), TFloat32.scalarOf((float) sgd.momentum()),
                    TFloat32.scalarOf((float) sgd.weightDecay()));
            try {
                lr.assign(runner, values.get(0));
                momentum.assign(runner, values.get(1));
                decay.assign(runner, values.get(2));
                runner.run().close();
            } finally {
                values.forEach(TFloat32::close);
            }
            current = sgd;
        }
        // Batch tensors are reused while the batch size stays the same (the data is copied in).
        if (batchInputs == null || batchInputs.shape().get(0) != inputs.rows()) {
            closeBatchTensors();
            batchInputs = TFloat32.tensorOf(shape(inputs.shape()));
            batchLabels = TInt32.tensorOf(Shape.of(labels.length));
        }
        batchInputs.copyFrom(DataBuffers.of(inputs.data(), true, false));
        batchLabels.copyFrom(DataBuffers.of(labels, true, false));
        float[] out;
        Op train = sgd.weightDecay() == 0 ? trainPlain : trainDecayed;
        try (Result r = session.runner().feed(x, batchInputs).feed(y, batchLabels).addTarget(train).fetch(logits).run()) {
            out = read((TFloat32) r.get(0));
        }
        return StepResult.fromLogits(out, 0, labels, k);
    }

    /**
     * The mean softmax cross-entropy of {@code logits} against the labels fed to {@code y}, on
     * one-hot labels (the sparse op has no registered gradient in TF Java 1.1.0).
     */
    private Operand<TFloat32> meanCrossEntropy(Ops tf, Operand<TFloat32> logits) {
        Operand<TFloat32> oneHot = tf.oneHot(y, tf.constant(spec.outputClasses()), tf.constant(1f), tf.constant(0f));
        return tf.math.mean(TfDevices.crossEntropy(tf, logits, oneHot, device), tf.constant(0));
    }

    @Override
    public DeviceInfo device() {
        return device;
    }

    @Override
    public Parameters gradient(FloatTensor inputs, int[] labels) {
        checkOpen();
        ModelArguments.checkStep(spec, inputs, labels);
        if (inferenceGradients == null) {
            // Added to the graph after the session exists: TensorFlow extends the session's graph on the next run.
            Ops tf = TfDevices.ops(graph, device);
            Operand<TFloat32> inferenceLogits = layerOutputs.get(spec.outputLayer().name());
            inferenceGradients = TfGradients.of(tf, meanCrossEntropy(tf, inferenceLogits), spec, params).gradients();
        }
        Session.Runner runner = session.runner();
        inferenceGradients.forEach(runner::fetch);
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        try (TFloat32 xt = tensor(inputs.shape(), inputs.data()); TInt32 yt = TInt32.vectorOf(labels);
                Result r = runner.feed(x, xt).feed(y, yt).run()) {
            int i = 0;
            for (ParameterSpec p : spec.parameters()) {
                if (p.trainable()) {
                    out.put(p.name(), new FloatTensor(p.shape(), read((TFloat32) r.get(i++))));
                }
            }
        }
        return new Parameters(out);
    }

    @Override
    public void resetOptimizerState() {
        checkOpen();
        session.runner().addTarget(resetBuffers).run().close();
    }

    @Override
    public Map<String, FloatTensor> activations(FloatTensor inputs, List<String> layers) {
        checkOpen();
        ModelArguments.checkActivations(spec, inputs, layers);
        Session.Runner runner = session.runner();
        layers.forEach(l -> runner.fetch(layerOutputs.get(l)));
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        try (TFloat32 xt = tensor(inputs.shape(), inputs.data()); Result r = runner.feed(x, xt).run()) {
            for (int i = 0; i < layers.size(); i++) {
                out.put(layers.get(i), new FloatTensor(ModelArguments.batchShape(spec, layers.get(i), inputs.rows()), read((TFloat32) r.get(i))));
            }
        }
        return out;
    }

    @Override
    public Parameters parameters() {
        checkOpen();
        Session.Runner runner = session.runner();
        params.values().forEach(runner::fetch);
        Map<String, FloatTensor> values = new LinkedHashMap<>();
        try (Result r = runner.run()) {
            int i = 0;
            for (ParameterSpec p : spec.parameters()) {
                values.put(p.name(), new FloatTensor(p.shape(), read((TFloat32) r.get(i++))));
            }
        }
        return new Parameters(values);
    }

    @Override
    public void setParameters(Parameters values) {
        checkOpen();
        values.checkFits(spec);
        Session.Runner runner = session.runner();
        List<TFloat32> fed = new ArrayList<>();
        try {
            for (ParameterSpec p : spec.parameters()) {
                TFloat32 t = tensor(p.shape(), values.get(p.name()).data());
                fed.add(t);
                runner.feed(paramInputs.get(p.name()), t);
            }
            assignParams.forEach(runner::addTarget);
            runner.run().close();
        } finally {
            fed.forEach(TFloat32::close);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeBatchTensors();
            session.close();
            graph.close();
        }
    }
}
