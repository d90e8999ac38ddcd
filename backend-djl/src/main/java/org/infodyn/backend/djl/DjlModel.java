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
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

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
    private final DeviceInfo deviceInfo;
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final Map<String, NDArray> momentum = new HashMap<>();
    private final List<String> trainable = new ArrayList<>();
    private final Uploads uploads = new Uploads();
    /** The current step's input batch: it needs no gradient (see {@link #conv}). */
    private NDArray inputOfStep;
    /** Whether the current forward pass will be back-propagated (a training step or {@link #gradient}; see {@link #conv}). */
    private boolean backpropagating;
    private boolean closed;

    DjlModel(ModelSpec spec, Parameters initial, DeviceInfo device) {
        this.spec = spec;
        this.deviceInfo = device;
        this.device = DjlRuntime.device(device);
        this.manager = DjlRuntime.engine().newBaseManager(this.device);
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
     * Runs the network. When {@code keep} is non-null, the outputs of the named top-level layers
     * are stored there; the logits are returned. In training mode batch norms use batch
     * statistics and update their running statistics in place (PyTorch's semantics).
     */
    private NDArray forward(NDArray x, boolean training, Set<String> keepNames, Map<String, NDArray> keep) {
        NDArray h = x;
        for (LayerSpec layer : spec.layers()) {
            h = layer(layer, h, training);
            if (keep != null && keepNames.contains(layer.name())) {
                keep.put(layer.name(), h);
            }
        }
        return h;
    }

    private NDArray chain(List<LayerSpec> layers, NDArray x, boolean training) {
        NDArray h = x;
        for (LayerSpec l : layers) {
            h = layer(l, h, training);
        }
        return h;
    }

    private NDArray layer(LayerSpec layer, NDArray h, boolean training) {
        if (layer instanceof Dense d) {
            return Linear.linear(h, params.get(d.name() + ".weight"), params.get(d.name() + ".bias")).singletonOrThrow();
        }
        if (layer instanceof Activation a) {
            return switch (a.function()) {
                case RELU -> ai.djl.nn.Activation.relu(h);
                case TANH -> h.tanh();
            };
        }
        if (layer instanceof Flatten) {
            return h.reshape(h.getShape().get(0), -1);
        }
        if (layer instanceof Conv2d c) {
            return conv(c, h, training);
        }
        if (layer instanceof Pool2d p) {
            Shape k = new Shape(p.kernel(), p.kernel());
            Shape s = new Shape(p.stride(), p.stride());
            return p.function() == Pool2d.Function.MAX ? Pool.maxPool2d(h, k, s, new Shape(0, 0), false)
                    : Pool.avgPool2d(h, k, s, new Shape(0, 0), false, true);
        }
        if (layer instanceof GlobalAvgPool) {
            Shape s = h.getShape();
            return h.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}); // PtNDArray.mean takes one axis
        }
        if (layer instanceof BatchNorm b) {
            // torch.batch_norm over dimension 1: channels of [N, C, H, W] or features of [N, F]. The
            // argument order is the one DJL's own PtNDArrayEx uses (running statistics first),
            // whatever JniUtils' parameter names say.
            return JniUtils.batchNorm((PtNDArray) h, (PtNDArray) params.get(b.name() + ".running_mean"),
                    (PtNDArray) params.get(b.name() + ".running_var"), (PtNDArray) params.get(b.name() + ".weight"),
                    (PtNDArray) params.get(b.name() + ".bias"), training, b.momentum(), b.epsilon());
        }
        if (layer instanceof Residual r) {
            NDArray body = chain(r.body(), h, training);
            return body.add(chain(r.shortcut(), h, training));
        }
        throw new IllegalStateException("unsupported layer " + layer);
    }

    /**
     * A convolution. Workaround for a oneDNN bug in the PyTorch 2.7.1 native library (oneDNN
     * 3.7.1): its direct AVX2/AVX-512 "backward_data" kernels return wrong input gradients when
     * the number of output channels is not a multiple of 16 and the batch has more than one
     * sample (measured here against finite differences: errors of the size of the gradients
     * themselves; with 16 or 32 output channels, or with oneDNN limited to its GEMM kernels, the
     * gradients are right). When back-propagating (a training step or {@link #gradient}) and the input needs a gradient (any convolution but one
     * on the raw inputs), the filters are padded with zero filters to a multiple of 16 and the
     * extra output channels dropped, which routes PyTorch through the correct kernels; the
     * padding gets no gradient and changes no value.
     */
    private NDArray conv(Conv2d c, NDArray h, boolean training) {
        NDArray w = params.get(c.name() + ".weight");
        NDArray b = params.get(c.name() + ".bias");
        Shape stride = new Shape(c.stride(), c.stride());
        Shape padding = new Shape(c.padding(), c.padding());
        int pad = (16 - c.filters() % 16) % 16;
        if (!backpropagating || pad == 0 || h == inputOfStep) {
            return ai.djl.nn.convolutional.Conv2d.conv2d(h, w, b, stride, padding, new Shape(1, 1)).singletonOrThrow();
        }
        NDManager m = h.getManager();
        Shape ws = w.getShape();
        NDArray wp = NDArrays.concat(new NDList(w, m.zeros(new Shape(pad, ws.get(1), ws.get(2), ws.get(3)))), 0);
        NDArray bp = NDArrays.concat(new NDList(b, m.zeros(new Shape(pad))), 0);
        NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(h, wp, bp, stride, padding, new Shape(1, 1)).singletonOrThrow();
        return y.split(new long[] {c.filters()}, 1).get(0);
    }

    @Override
    public StepResult step(FloatTensor inputs, int[] labels, SgdSettings sgd) {
        checkOpen();
        ModelArguments.checkStep(spec, inputs, labels);
        float[] logits;
        try (NDManager sub = manager.newSubManager()) {
            logits = backpropagate(sub, inputs, labels, true).toFloatArray();
            update(sgd);
        }
        return StepResult.fromLogits(logits, 0, labels, spec.outputClasses());
    }

    /** The api's gradient: an inference-mode forward pass, back-propagation, the gradients copied out and zeroed. */
    @Override
    public Parameters gradient(FloatTensor inputs, int[] labels) {
        checkOpen();
        ModelArguments.checkStep(spec, inputs, labels);
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        try (NDManager sub = manager.newSubManager()) {
            backpropagate(sub, inputs, labels, false);
            for (ParameterSpec p : spec.parameters()) {
                if (p.trainable()) {
                    NDArray a = params.get(p.name());
                    try (NDArray g = a.getGradient()) {
                        out.put(p.name(), new FloatTensor(p.shape(), g.toFloatArray()));
                    }
                    JniUtils.zeroGrad((PtNDArray) a);
                }
            }
        }
        return new Parameters(out);
    }

    /**
     * Uploads a batch, runs the network ({@code training}: batch statistics, else running ones)
     * and back-propagates the mean cross-entropy into the parameters' gradients; returns the
     * logits (attached to {@code sub}).
     */
    private NDArray backpropagate(NDManager sub, FloatTensor inputs, int[] labels, boolean training) {
        NDArray x = uploads.floats(sub, inputs.data(), new Shape(batchShape(inputs)));
        inputOfStep = x;
        NDArray target = uploads.longs(sub, labels, new Shape(inputs.rows(), 1));
        // Autograd through JniUtils rather than DJL's GradientCollector: that collector is
        // one per JVM ("only one can be collecting at a time"), which would serialise (or
        // break) models training on different threads. PyTorch's grad mode is per thread.
        DjlRuntime.grad(true);
        backpropagating = true;
        try {
            NDArray out = forward(x, training, null, null);
            NDArray loss = out.logSoftmax(1).gather(target, 1).mean().neg();
            DjlRuntime.backward(loss, sub.ones(loss.getShape()));
            return out;
        } finally {
            backpropagating = false;
            DjlRuntime.grad(false);
        }
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
        ModelArguments.checkActivations(spec, inputs, layers);
        DjlRuntime.grad(false);
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = uploads.floats(sub, inputs.data(), new Shape(batchShape(inputs)));
            Map<String, NDArray> keep = new HashMap<>();
            forward(x, false, new HashSet<>(layers), keep);
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

    /** Where PyTorch holds this model's tensors (its manager's device), described as infodyn chose it. */
    @Override
    public DeviceInfo device() {
        Device actual = manager.getDevice();
        if (actual.isGpu()) {
            String id = "gpu:" + actual.getDeviceId();
            return deviceInfo.id().equals(id) ? deviceInfo : DeviceInfo.gpu(actual.getDeviceId(), DjlRuntime.cudaVersion());
        }
        return deviceInfo.isGpu() ? DeviceInfo.hostCpu() : deviceInfo;
    }

    @Override
    public String toString() {
        return "DjlModel[" + spec.describe() + " on " + device + "]";
    }
}
