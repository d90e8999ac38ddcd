package org.infodyn.backend.djl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

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

/**
 * R multilayer perceptrons as stacked PyTorch tensors: every parameter {@code [R, …]}, dense
 * layers as batched matrix products, one forward and one backward pass per step for all replicas.
 * The loss is the sum of each replica's mean cross-entropy, so each replica's gradient is its own;
 * the update is the api's rule with per-replica settings as {@code [R, 1, …]} tensors, applied
 * only to the replicas stepped (a {@code where} keeps the others unchanged).
 *
 * <p>Networks of dense layers, ReLU and tanh only (a flatten is allowed first: inputs arrive
 * flattened: {@link StackedBatch#isPerceptron}); other networks use the portable group.
 */
final class DjlReplicaGroup implements ReplicaGroup {
    private final ModelSpec spec;
    private final int replicas;
    private final int inputSize;
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final Map<String, NDArray> buffers = new HashMap<>();
    private final List<String> trainable = new ArrayList<>();
    private final Uploads uploads = new Uploads();
    /** The per-replica settings of the last step, as tensors: rebuilt only when they change (a tensor from Java costs ~100 µs). */
    private Settings settings;
    private boolean closed;

    /** Learning rates, momenta, weight decays and the stepped replicas, each {@code [R]}, with views per parameter rank. */
    private final class Settings implements AutoCloseable {
        final StackedBatch values;
        final NDManager own = manager.newSubManager();
        final Map<Integer, NDArray[]> byRank = new HashMap<>();

        Settings(StackedBatch values) {
            this.values = values;
        }

        boolean same(StackedBatch o) {
            return Arrays.equals(o.learningRates(), values.learningRates()) && Arrays.equals(o.momenta(), values.momenta())
                    && Arrays.equals(o.weightDecays(), values.weightDecays()) && Arrays.equals(o.stepped(), values.stepped());
        }

        /** {lr, momentum, weight decay, active} shaped {@code [R, 1, …]} to broadcast over a parameter of this shape. */
        NDArray[] forShape(Shape shape) {
            return byRank.computeIfAbsent(shape.dimension(), rank -> {
                Shape each = perReplica(rank);
                return new NDArray[] {own.create(values.learningRates(), each), own.create(values.momenta(), each),
                    own.create(values.weightDecays(), each), own.create(values.stepped(), each)};
            });
        }

        @Override
        public void close() {
            own.close();
        }
    }

    DjlReplicaGroup(ModelSpec spec, List<Parameters> initial, Device device) {
        this.spec = spec;
        this.replicas = initial.size();
        this.inputSize = spec.inputSize();
        this.manager = DjlRuntime.engine().newBaseManager(device);
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable()) {
                trainable.add(p.name());
            }
        }
        for (Parameters p : initial) {
            p.checkFits(spec);
        }
        for (ParameterSpec p : spec.parameters()) {
            float[] all = new float[replicas * p.size()];
            for (int r = 0; r < replicas; r++) {
                System.arraycopy(initial.get(r).get(p.name()).data(), 0, all, r * p.size(), p.size());
            }
            put(p, all);
        }
        resetOptimizerState();
    }

    private void put(ParameterSpec p, float[] all) {
        NDArray a = manager.create(all, stacked(p.shape()));
        if (p.trainable()) {
            a.setRequiresGradient(true);
        }
        NDArray old = params.put(p.name(), a);
        if (old != null) {
            old.close();
        }
    }

    private Shape stacked(int[] dims) {
        long[] s = new long[dims.length + 1];
        s[0] = replicas;
        for (int i = 0; i < dims.length; i++) {
            s[i + 1] = dims[i];
        }
        return new Shape(s);
    }

    /** {@code [R, 1, …, 1]}: a per-replica value that broadcasts over a stacked parameter. */
    private Shape perReplica(int rank) {
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        s[0] = replicas;
        return new Shape(s);
    }

    private NDArray forward(NDArray x, Map<String, NDArray> keep) {
        NDArray h = x;
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof Dense d) {
                // [R, b, in] × [R, in, out] + [R, 1, out]; views of the parameters belong to the step's
                // manager, like everything the step makes (in the group's manager they would pile up)
                NDArray wt = params.get(d.name() + ".weight").transpose(0, 2, 1);
                NDArray bias = params.get(d.name() + ".bias").expandDims(1);
                wt.attach(h.getManager());
                bias.attach(h.getManager());
                h = h.batchMatMul(wt).add(bias);
            } else if (layer instanceof Activation a) {
                h = switch (a.function()) {
                    case RELU -> ai.djl.nn.Activation.relu(h);
                    case TANH -> h.tanh();
                };
            } else if (!(layer instanceof Flatten)) { // inputs arrive flattened
                throw new IllegalStateException("unsupported layer " + layer + " in a replica group");
            }
            if (keep != null) {
                keep.put(layer.name(), h);
            }
        }
        return h;
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
        float[] logits;
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = uploads.floats(sub, stacked.inputs(), new Shape(replicas, b, inputSize));
            NDArray target = uploads.longs(sub, stacked.labels(), new Shape(replicas, b, 1));
            DjlRuntime.grad(true);
            try {
                NDArray out = forward(x, null);
                NDArray loss = out.logSoftmax(2).gather(target, 2).squeeze(2).mean(new int[] {1}).neg().sum();
                DjlRuntime.backward(loss, sub.ones(loss.getShape()));
                logits = out.toFloatArray();
            } finally {
                DjlRuntime.grad(false);
            }
            update(sub, stacked);
        }
        int k = spec.outputClasses();
        List<StepResult> results = new ArrayList<>(batches.size());
        for (ReplicaBatch batch : batches) {
            results.add(StepResult.fromLogits(logits, batch.replica() * b, batch.labels(), k));
        }
        return results;
    }

    /** Per replica: {@code g += wd·p; buf = m·buf + g; p −= lr·buf}, kept only for the replicas stepped. */
    private void update(NDManager sub, StackedBatch stacked) {
        if (settings == null || !settings.same(stacked)) {
            if (settings != null) {
                settings.close();
            }
            settings = new Settings(stacked);
        }
        boolean allOn = stacked.all();
        for (String name : trainable) {
            NDArray p = params.get(name);
            NDArray[] each = settings.forShape(p.getShape());
            NDArray lr = each[0];
            NDArray m = each[1];
            NDArray wd = each[2];
            NDArray buf = buffers.get(name);
            try (NDArray g = p.getGradient()) {
                if (allOn) {
                    // every replica steps: in place, as DjlModel does
                    try (NDArray decay = p.mul(wd)) {
                        g.addi(decay);
                    }
                    buf.muli(m).addi(g);
                    try (NDArray delta = buf.mul(lr)) {
                        p.subi(delta);
                    }
                } else {
                    // some replicas sit out: compute the step for all, keep it for the active ones;
                    // every temporary belongs to the step's manager
                    NDArray active = temp(sub, each[3].broadcast(p.getShape()));
                    NDArray bufNew = temp(sub, temp(sub, buf.mul(m)).add(temp(sub, g.add(temp(sub, p.mul(wd))))));
                    NDArray pNew = temp(sub, p.sub(temp(sub, bufNew.mul(lr))));
                    // intern: the tensor takes over the selected values' native handle (no copy); a
                    // fresh leaf, so the parameter needs its gradient switched on again
                    buf.intern(temp(sub, NDArrays.where(active, bufNew, buf)));
                    p.intern(temp(sub, NDArrays.where(active, pNew, p)));
                    p.setRequiresGradient(true);
                }
            }
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    /** Attaches a temporary to the step's manager, which frees it when the step ends. */
    private static NDArray temp(NDManager sub, NDArray a) {
        a.attach(sub);
        return a;
    }

    @Override
    public void resetOptimizerState() {
        checkOpen();
        for (String name : trainable) {
            NDArray old = buffers.put(name, manager.zeros(params.get(name).getShape()));
            if (old != null) {
                old.close();
            }
        }
    }

    @Override
    public List<Map<String, FloatTensor>> activations(List<ReplicaInputs> inputs, List<String> layers) {
        checkOpen();
        float[] xs = StackedBatch.inputs(spec, replicas, inputs, layers);
        if (inputs.isEmpty()) {
            return List.of();
        }
        int n = inputs.get(0).inputs().rows();
        DjlRuntime.grad(false);
        Map<String, float[]> stacked = new HashMap<>();
        try (NDManager sub = manager.newSubManager()) {
            Map<String, NDArray> keep = new HashMap<>();
            forward(uploads.floats(sub, xs, new Shape(replicas, n, inputSize)), keep);
            layers.forEach(l -> stacked.put(l, keep.get(l).toFloatArray()));
        }
        return StackedBatch.split(spec, inputs, layers, stacked);
    }

    @Override
    public Parameters parameters(int replica) {
        checkOpen();
        Map<String, FloatTensor> values = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            float[] all = params.get(p.name()).toFloatArray();
            values.put(p.name(), new FloatTensor(p.shape(), Arrays.copyOfRange(all, replica * p.size(), (replica + 1) * p.size())));
        }
        return new Parameters(values);
    }

    @Override
    public void setParameters(int replica, Parameters values) {
        checkOpen();
        values.checkFits(spec);
        for (ParameterSpec p : spec.parameters()) {
            float[] all = params.get(p.name()).toFloatArray();
            System.arraycopy(values.get(p.name()).data(), 0, all, replica * p.size(), p.size());
            put(p, all);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}
