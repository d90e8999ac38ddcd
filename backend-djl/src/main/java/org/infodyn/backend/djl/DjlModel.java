package org.infodyn.backend.djl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ModelArguments;
import org.infodyn.api.backend.SgdSettings;
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
 * A network held as PyTorch tensors. Parameters use PyTorch's own layout, which is the
 * canonical one (dense {@code [out, in]}), so no conversion is needed.
 *
 * <p>Memory: parameters and momentum buffers live in the model's manager; every step and every
 * activation call works in a sub-manager that is closed at the end, so nothing accumulates.
 */
final class DjlModel implements Model {
    private final ModelSpec spec;
    private final Device device;
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final Map<String, NDArray> momentum = new HashMap<>();
    private final List<String> trainable = new ArrayList<>();
    private final Uploads uploads = new Uploads();
    private boolean closed;

    DjlModel(ModelSpec spec, Parameters initial, Device device) {
        this.spec = spec;
        this.device = device;
        this.manager = DjlRuntime.engine().newBaseManager(device);
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable()) {
                trainable.add(p.name());
            }
        }
        load(initial);
    }

    private void load(Parameters values) {
        for (ParameterSpec p : spec.parameters()) {
            FloatTensor t = values.get(p.name());
            NDArray a = manager.create(t.data(), new Shape(toLong(t.shape())));
            if (p.trainable()) {
                a.setRequiresGradient(true);
            }
            NDArray old = params.put(p.name(), a);
            if (old != null) {
                old.close();
            }
        }
    }

    private static long[] toLong(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return l;
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

    /**
     * Runs the chain. When {@code keep} is non-null, the outputs of the named layers are stored
     * there; the logits are returned.
     */
    private NDArray forward(NDArray x, Set<String> keepNames, Map<String, NDArray> keep) {
        NDArray h = x;
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof Dense d) {
                h = Linear.linear(h, params.get(d.name() + ".weight"), params.get(d.name() + ".bias")).singletonOrThrow();
            } else if (layer instanceof Activation a) {
                h = switch (a.function()) {
                    case RELU -> ai.djl.nn.Activation.relu(h);
                    case TANH -> h.tanh();
                };
            } else if (layer instanceof Flatten) {
                h = h.reshape(h.getShape().get(0), -1);
            } else {
                throw new IllegalStateException("unsupported layer " + layer);
            }
            if (keep != null && keepNames.contains(layer.name())) {
                keep.put(layer.name(), h);
            }
        }
        return h;
    }

    @Override
    public StepResult step(FloatTensor inputs, int[] labels, SgdSettings sgd) {
        checkOpen();
        ModelArguments.checkInputs(spec, inputs);
        ModelArguments.checkLabels(spec, inputs, labels);
        int b = inputs.rows();
        int k = spec.outputClasses();
        float[] logits;
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = uploads.floats(sub, inputs.data(), new Shape(batchShape(inputs)));
            NDArray target = uploads.longs(sub, labels, new Shape(b, 1));
            // Autograd through JniUtils rather than DJL's GradientCollector: that collector is
            // one per JVM ("only one can be collecting at a time"), which would serialise (or
            // break) models training on different threads. PyTorch's grad mode is per thread.
            DjlRuntime.grad(true);
            try {
                NDArray out = forward(x, null, null);
                NDArray loss = out.logSoftmax(1).gather(target, 1).mean().neg();
                DjlRuntime.backward(loss, sub.ones(loss.getShape()));
                logits = out.toFloatArray();
            } finally {
                DjlRuntime.grad(false);
            }
            update(sgd);
        }
        return StepResult.fromLogits(logits, 0, labels, k);
    }

    /** {@code g += wd·p; buf = m·buf + g; p −= lr·buf}; then the gradient is zeroed for the next step. */
    private void update(SgdSettings sgd) {
        float lr = (float) sgd.learningRate();
        float m = (float) sgd.momentum();
        float wd = (float) sgd.weightDecay();
        for (String name : trainable) {
            NDArray p = params.get(name);
            try (NDArray g = p.getGradient()) {
                if (wd != 0f) {
                    try (NDArray decay = p.mul(wd)) {
                        g.addi(decay);
                    }
                }
                if (m != 0f) {
                    NDArray buf = momentum.get(name);
                    if (buf == null) {
                        buf = g.duplicate();
                        buf.attach(manager);
                        momentum.put(name, buf);
                    } else {
                        buf.muli(m).addi(g);
                    }
                    try (NDArray delta = buf.mul(lr)) {
                        p.subi(delta);
                    }
                } else {
                    p.subi(g.muli(lr));
                }
            }
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    private static long[] batchShape(FloatTensor t) {
        return toLong(t.shape());
    }

    @Override
    public void resetOptimizerState() {
        checkOpen();
        momentum.values().forEach(NDArray::close);
        momentum.clear();
    }

    @Override
    public Map<String, FloatTensor> activations(FloatTensor inputs, List<String> layers) {
        checkOpen();
        ModelArguments.checkInputs(spec, inputs);
        ModelArguments.checkLayers(spec, layers);
        DjlRuntime.grad(false);
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = uploads.floats(sub, inputs.data(), new Shape(batchShape(inputs)));
            Map<String, NDArray> keep = new HashMap<>();
            forward(x, new HashSet<>(layers), keep);
            int n = inputs.rows();
            for (String l : layers) {
                out.put(l, new FloatTensor(ModelArguments.batchShape(spec, l, n), keep.get(l).toFloatArray()));
            }
        }
        return out;
    }

    @Override
    public Parameters parameters() {
        checkOpen();
        Map<String, FloatTensor> values = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            values.put(p.name(), new FloatTensor(p.shape(), params.get(p.name()).toFloatArray()));
        }
        return new Parameters(values);
    }

    @Override
    public void setParameters(Parameters values) {
        checkOpen();
        values.checkFits(spec);
        load(values);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    @Override
    public String toString() {
        return "DjlModel[" + spec.describe() + " on " + device + "]";
    }
}
