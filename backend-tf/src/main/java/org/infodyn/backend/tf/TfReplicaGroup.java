package org.infodyn.backend.tf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.backend.DeviceInfo;
import org.infodyn.api.backend.ReplicaGroup;
import org.infodyn.api.backend.StackedBatch;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;
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
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * R multilayer perceptrons as one TensorFlow graph: every parameter stacked along a leading replica
 * axis ({@code [R, out, in]}), dense layers as batched matrix products, one {@code Session.run} per
 * step for all replicas. Each replica's loss is the mean cross-entropy of its own batch; the graph
 * minimises their sum, whose gradient with respect to one replica's parameters is that replica's
 * own. The update is the api's rule with per-replica settings ({@code buf = m·buf + g + wd·p;
 * p −= lr·buf}), written out with the hyper-parameters as {@code [R]} tensors, and applied only to
 * the replicas stepped (a select keeps the others, even a diverged one whose values are NaN).
 *
 * <p>Networks of dense layers, ReLU and tanh only (a flatten is allowed first: inputs arrive
 * flattened: {@link StackedBatch#isPerceptron}); other networks use the portable group.
 */
final class TfReplicaGroup implements ReplicaGroup {
    private final ModelSpec spec;
    private final int replicas;
    private final int inputSize;
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> x;
    private final Placeholder<TInt32> y;
    private final Placeholder<TFloat32> lr;
    private final Placeholder<TFloat32> momentum;
    private final Placeholder<TFloat32> decay;
    private final Placeholder<TBool> active;
    private final Operand<TFloat32> logits;
    private final Map<String, Operand<TFloat32>> layerOutputs = new LinkedHashMap<>();
    private final Map<String, Variable<TFloat32>> params = new LinkedHashMap<>();
    private final Map<String, Placeholder<TFloat32>> paramInputs = new LinkedHashMap<>();
    private final List<Op> assignParams = new ArrayList<>();
    private final Op train;
    /** The same update when every replica steps: no selects (two passes less over the parameters). */
    private final Op trainAll;
    private final Op resetBuffers;
    /** Input tensors reused while the batch size stays the same (filled with copyFrom, the fast path). */
    private TFloat32 batchInputs;
    private TInt32 batchLabels;
    private boolean closed;

    TfReplicaGroup(ModelSpec spec, List<Parameters> initial, int threads, DeviceInfo device) {
        this.spec = spec;
        this.replicas = initial.size();
        this.inputSize = spec.inputSize();
        this.graph = new Graph();
        try {
            Ops tf = TfDevices.ops(graph, device);
            x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(replicas, -1, inputSize)));
            y = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(replicas, -1)));
            lr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(replicas)));
            momentum = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(replicas)));
            decay = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(replicas)));
            active = tf.placeholder(TBool.class, Placeholder.shape(Shape.of(replicas)));
            for (ParameterSpec p : spec.parameters()) {
                Shape shape = stacked(p.shape());
                Variable<TFloat32> v = tf.variable(shape, TFloat32.class);
                Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
                params.put(p.name(), v);
                paramInputs.put(p.name(), in);
                assignParams.add(tf.assign(v, in));
            }
            Operand<TFloat32> h = x;
            for (LayerSpec layer : spec.layers()) {
                h = layer(tf, layer, h);
                layerOutputs.put(layer.name(), h);
            }
            logits = h;
            int k = spec.outputClasses();
            Operand<TFloat32> flatLogits = tf.reshape(logits, tf.constant(new long[] {-1, k}));
            Operand<TFloat32> oneHot = tf.reshape(tf.oneHot(y, tf.constant(k), tf.constant(1f), tf.constant(0f)),
                    tf.constant(new long[] {-1, k}));
            Operand<TFloat32> perSample = tf.reshape(TfDevices.crossEntropy(tf, flatLogits, oneHot, device),
                    tf.constant(new long[] {replicas, -1}));
            Operand<TFloat32> total = tf.reduceSum(tf.math.mean(perSample, tf.constant(1)), tf.constant(0));

            TfGradients grads = TfGradients.of(tf, total, spec, params);
            List<Variable<TFloat32>> trainable = grads.trainable();
            List<Operand<TFloat32>> g = grads.gradients();
            Ops upd = grads.afterGradients();
            List<Op> updates = new ArrayList<>();
            List<Op> updatesAll = new ArrayList<>();
            List<Op> resets = new ArrayList<>();
            for (int i = 0; i < trainable.size(); i++) {
                Variable<TFloat32> p = trainable.get(i);
                Variable<TFloat32> buf = tf.variable(p.shape(), TFloat32.class);
                resets.add(tf.assign(buf, tf.zeros(tf.constant(p.shape().asArray()), TFloat32.class)));
                Operand<TInt64> perReplica = tf.constant(broadcastShape(p.shape().numDimensions()));
                Operand<TFloat32> gd = upd.math.add(g.get(i), upd.math.mul(upd.reshape(decay, perReplica), p));
                Operand<TFloat32> bufNew = upd.math.add(upd.math.mul(upd.reshape(momentum, perReplica), buf), gd);
                Operand<TFloat32> pNew = upd.math.sub(p, upd.math.mul(upd.reshape(lr, perReplica), bufNew));
                Operand<TBool> on = upd.reshape(active, perReplica);
                // both values are computed before either variable is assigned
                Ops assign = upd.withControlDependencies(List.of(bufNew, pNew));
                updates.add(assign.assign(buf, assign.select(on, bufNew, buf)));
                updates.add(assign.assign(p, assign.select(on, pNew, p)));
                updatesAll.add(assign.assign(buf, bufNew));
                updatesAll.add(assign.assign(p, pNew));
            }
            train = tf.withControlDependencies(updates).noOp();
            trainAll = tf.withControlDependencies(updatesAll).noOp();
            resetBuffers = tf.withControlDependencies(resets).noOp();
            ConfigProto config = TfDevices.sessionConfig(threads, device);
            session = new Session(graph, config);
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
        for (int r = 0; r < replicas; r++) {
            initial.get(r).checkFits(spec);
        }
        writeAll(initial);
        session.runner().addTarget(resetBuffers).run().close();
    }

    private Shape stacked(int[] dims) {
        long[] s = new long[dims.length + 1];
        s[0] = replicas;
        for (int i = 0; i < dims.length; i++) {
            s[i + 1] = dims[i];
        }
        return Shape.of(s);
    }

    /** {@code [R, 1, …, 1]}: the shape that broadcasts a per-replica value over a stacked parameter. */
    private long[] broadcastShape(int rank) {
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        s[0] = replicas;
        return s;
    }

    private Operand<TFloat32> layer(Ops tf, LayerSpec layer, Operand<TFloat32> h) {
        if (layer instanceof Dense d) {
            // [R, b, in] × [R, out, in]ᵀ + [R, 1, out]
            // read through identity: BatchMatMulV3's gradient would otherwise take the variable's
            // reference type (float_ref) as its output type and fail to build
            Operand<TFloat32> w = tf.identity(params.get(d.name() + ".weight"));
            Operand<TFloat32> wx = tf.train.batchMatMul(h, w, TFloat32.class, BatchMatMul.adjY(true));
            return tf.math.add(wx, tf.expandDims(params.get(d.name() + ".bias"), tf.constant(1)));
        }
        if (layer instanceof Activation a) {
            return switch (a.function()) {
                case RELU -> tf.nn.relu(h);
                case TANH -> tf.math.tanh(h);
            };
        }
        if (layer instanceof Flatten) {
            return h; // inputs arrive flattened: [R, b, inputSize]
        }
        throw new IllegalStateException("unsupported layer " + layer + " in a replica group");
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("replica group is closed");
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public int size() {
        return replicas;
    }

    @Override
    public List<StepResult> step(List<ReplicaBatch> batches) {
        checkOpen();
        StackedBatch stacked = StackedBatch.of(spec, replicas, batches);
        if (batches.isEmpty()) {
            return List.of();
        }
        int b = stacked.rows();
        if (batchInputs == null || batchInputs.shape().get(1) != b) {
            closeBatchTensors();
            batchInputs = TFloat32.tensorOf(Shape.of(replicas, b, inputSize));
            batchLabels = TInt32.tensorOf(Shape.of(replicas, b));
        }
        batchInputs.copyFrom(DataBuffers.of(stacked.inputs(), true, false));
        batchLabels.copyFrom(DataBuffers.of(stacked.labels(), true, false));
        float[] out;
        try (TFloat32 lrt = TFloat32.vectorOf(stacked.learningRates());
                TFloat32 mt = TFloat32.vectorOf(stacked.momenta());
                TFloat32 wdt = TFloat32.vectorOf(stacked.weightDecays());
                TBool at = TBool.vectorOf(stacked.stepped());
                Result r = session.runner().feed(x, batchInputs).feed(y, batchLabels).feed(lr, lrt).feed(momentum, mt).feed(decay, wdt).feed(active, at)
                        .addTarget(stacked.all() ? trainAll : train).fetch(logits).run()) {
            out = read((TFloat32) r.get(0));
        }
        int k = spec.outputClasses();
        List<StepResult> results = new ArrayList<>(batches.size());
        for (ReplicaBatch batch : batches) {
            results.add(StepResult.fromLogits(out, batch.replica() * b, batch.labels(), k));
        }
        return results;
    }

    @Override
    public void resetOptimizerState() {
        checkOpen();
        session.runner().addTarget(resetBuffers).run().close();
    }

    @Override
    public List<Map<String, FloatTensor>> activations(List<ReplicaInputs> inputs, List<String> layers) {
        checkOpen();
        float[] xs = StackedBatch.inputs(spec, replicas, inputs, layers);
        if (inputs.isEmpty()) {
            return List.of();
        }
        int n = inputs.get(0).inputs().rows();
        Session.Runner runner = session.runner();
        layers.forEach(l -> runner.fetch(layerOutputs.get(l)));
        Map<String, float[]> stacked = new LinkedHashMap<>();
        try (TFloat32 xt = filled(Shape.of(replicas, n, inputSize), xs); Result r = runner.feed(x, xt).run()) {
            for (int i = 0; i < layers.size(); i++) {
                stacked.put(layers.get(i), read((TFloat32) r.get(i)));
            }
        }
        return StackedBatch.split(spec, inputs, layers, stacked);
    }

    private void closeBatchTensors() {
        if (batchInputs != null) {
            batchInputs.close();
            batchLabels.close();
            batchInputs = null;
            batchLabels = null;
        }
    }

    /** Every replica's parameters: {@code [replica][parameter]} in canonical order. */
    private List<float[]> readAll() {
        Session.Runner runner = session.runner();
        params.values().forEach(runner::fetch);
        List<float[]> out = new ArrayList<>();
        try (Result r = runner.run()) {
            for (int i = 0; i < params.size(); i++) {
                out.add(read((TFloat32) r.get(i)));
            }
        }
        return out;
    }

    @Override
    public Parameters parameters(int replica) {
        checkOpen();
        List<float[]> all = readAll();
        Map<String, FloatTensor> values = new LinkedHashMap<>();
        int i = 0;
        for (ParameterSpec p : spec.parameters()) {
            int size = p.size();
            values.put(p.name(), new FloatTensor(p.shape(), Arrays.copyOfRange(all.get(i++), replica * size, (replica + 1) * size)));
        }
        return new Parameters(values);
    }

    @Override
    public void setParameters(int replica, Parameters values) {
        checkOpen();
        values.checkFits(spec);
        List<float[]> all = readAll();
        int i = 0;
        for (ParameterSpec p : spec.parameters()) {
            System.arraycopy(values.get(p.name()).data(), 0, all.get(i++), replica * p.size(), p.size());
        }
        write(all);
    }

    private void writeAll(List<Parameters> perReplica) {
        List<float[]> all = new ArrayList<>();
        for (ParameterSpec p : spec.parameters()) {
            float[] stackedValues = new float[replicas * p.size()];
            for (int r = 0; r < replicas; r++) {
                System.arraycopy(perReplica.get(r).get(p.name()).data(), 0, stackedValues, r * p.size(), p.size());
            }
            all.add(stackedValues);
        }
        write(all);
    }

    private void write(List<float[]> all) {
        Session.Runner runner = session.runner();
        List<TFloat32> fed = new ArrayList<>();
        try {
            int i = 0;
            for (ParameterSpec p : spec.parameters()) {
                TFloat32 t = filled(stacked(p.shape()), all.get(i++));
                fed.add(t);
                runner.feed(paramInputs.get(p.name()), t);
            }
            assignParams.forEach(runner::addTarget);
            runner.run().close();
        } finally {
            fed.forEach(TFloat32::close);
        }
    }

    /**
     * A tensor holding {@code data}. Filled with {@code copyFrom}: {@code tensorOf(shape, buffer)}
     * copies element by element, measured at tens of nanoseconds a value (most of a group's step).
     */
    private static TFloat32 filled(Shape shape, float[] data) {
        TFloat32 t = TFloat32.tensorOf(shape);
        t.copyFrom(DataBuffers.of(data, true, false));
        return t;
    }

    private static float[] read(TFloat32 t) {
        float[] out = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
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
