package org.example.infodyn.tinybackend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ModelArguments;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;

/**
 * One multilayer perceptron of {@link TinyJavaBackend}: parameters as float arrays in infodyn's
 * canonical layout (dense weights {@code [out, in]}), sums in double, infodyn's SGD rule exactly
 * ({@code buf = m·buf + g + wd·p; p −= lr·buf}, buffers starting at zero).
 */
final class TinyModel implements Model {
    private final ModelSpec spec;
    private final Map<String, float[]> params = new LinkedHashMap<>();
    private final Map<String, float[]> buffers = new HashMap<>();
    private boolean closed;

    TinyModel(ModelSpec spec, Parameters initial) {
        this.spec = spec;
        setParameters(initial);
    }

    /** The output of every layer, each {@code [n][width]}; the input first. */
    private List<double[][]> forward(FloatTensor inputs) {
        int n = inputs.rows();
        int d = spec.inputSize();
        double[][] h = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                h[i][k] = inputs.data()[i * d + k];
            }
        }
        List<double[][]> outs = new ArrayList<>();
        outs.add(h);
        for (LayerSpec layer : spec.layers()) {
            h = layer(layer, h);
            outs.add(h);
        }
        return outs;
    }

    private double[][] layer(LayerSpec layer, double[][] h) {
        if (layer instanceof Dense dense) {
            float[] w = params.get(dense.name() + ".weight");
            float[] b = params.get(dense.name() + ".bias");
            int out = dense.units();
            int in = w.length / out;
            double[][] y = new double[h.length][out];
            for (int i = 0; i < h.length; i++) {
                for (int o = 0; o < out; o++) {
                    double s = b[o];
                    for (int k = 0; k < in; k++) {
                        s += w[o * in + k] * h[i][k];
                    }
                    y[i][o] = s;
                }
            }
            return y;
        }
        if (layer instanceof Activation a) {
            double[][] y = new double[h.length][];
            for (int i = 0; i < h.length; i++) {
                y[i] = h[i].clone();
                for (int k = 0; k < y[i].length; k++) {
                    y[i][k] = a.function() == Activation.Function.RELU ? Math.max(0, y[i][k]) : Math.tanh(y[i][k]);
                }
            }
            return y;
        }
        return h; // flatten: the rows are flat already
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
        List<double[][]> outs = forward(inputs);
        double[][] logits = outs.get(outs.size() - 1);
        int n = labels.length;
        int k = spec.outputClasses();
        float[] flat = new float[n * k];
        double[][] g = new double[n][k];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                flat[i * k + c] = (float) logits[i][c];
                max = Math.max(max, logits[i][c]);
            }
            double z = 0;
            for (int c = 0; c < k; c++) {
                z += Math.exp(logits[i][c] - max);
            }
            for (int c = 0; c < k; c++) { // ∂(mean CE)/∂logit = (softmax − onehot) / n
                g[i][c] = (Math.exp(logits[i][c] - max) / z - (c == labels[i] ? 1 : 0)) / n;
            }
        }
        StepResult before = StepResult.fromLogits(flat, 0, labels, k);
        Map<String, double[]> grads = backward(outs, g);
        for (ParameterSpec p : spec.parameters()) {
            update(p.name(), grads.get(p.name()), sgd);
        }
        return before;
    }

    /** Gradients of the mean loss with respect to every parameter, layer by layer from the last. */
    private Map<String, double[]> backward(List<double[][]> outs, double[][] g) {
        Map<String, double[]> grads = new HashMap<>();
        List<LayerSpec> layers = spec.layers();
        for (int l = layers.size() - 1; l >= 0; l--) {
            LayerSpec layer = layers.get(l);
            double[][] in = outs.get(l);
            double[][] out = outs.get(l + 1);
            if (layer instanceof Dense dense) {
                float[] w = params.get(dense.name() + ".weight");
                int units = dense.units();
                int width = w.length / units;
                double[] gw = new double[w.length];
                double[] gb = new double[units];
                double[][] gin = new double[g.length][width];
                for (int i = 0; i < g.length; i++) {
                    for (int o = 0; o < units; o++) {
                        gb[o] += g[i][o];
                        for (int q = 0; q < width; q++) {
                            gw[o * width + q] += g[i][o] * in[i][q];
                            gin[i][q] += g[i][o] * w[o * width + q];
                        }
                    }
                }
                grads.put(dense.name() + ".weight", gw);
                grads.put(dense.name() + ".bias", gb);
                g = gin;
            } else if (layer instanceof Activation a) {
                for (int i = 0; i < g.length; i++) {
                    for (int q = 0; q < g[i].length; q++) {
                        g[i][q] *= a.function() == Activation.Function.RELU ? (out[i][q] > 0 ? 1 : 0) : 1 - out[i][q] * out[i][q];
                    }
                }
            }
        }
        return grads;
    }

    private void update(String name, double[] grad, SgdSettings sgd) {
        float[] p = params.get(name);
        float[] buf = buffers.computeIfAbsent(name, x -> new float[p.length]);
        for (int j = 0; j < p.length; j++) {
            float gj = (float) (grad[j] + sgd.weightDecay() * p[j]);
            buf[j] = (float) (sgd.momentum() * buf[j] + gj);
            p[j] = (float) (p[j] - sgd.learningRate() * buf[j]);
        }
    }

    @Override
    public void resetOptimizerState() {
        checkOpen();
        buffers.clear();
    }

    @Override
    public Map<String, FloatTensor> activations(FloatTensor inputs, List<String> layers) {
        checkOpen();
        ModelArguments.checkActivations(spec, inputs, layers);
        List<double[][]> outs = forward(inputs);
        Map<String, FloatTensor> result = new LinkedHashMap<>();
        for (String name : layers) {
            double[][] h = outs.get(spec.layerNames().indexOf(name) + 1);
            int width = spec.outputSize(name);
            float[] flat = new float[h.length * width];
            for (int i = 0; i < h.length; i++) {
                for (int q = 0; q < width; q++) {
                    flat[i * width + q] = (float) h[i][q];
                }
            }
            result.put(name, new FloatTensor(ModelArguments.batchShape(spec, name, h.length), flat));
        }
        return result;
    }

    @Override
    public Parameters parameters() {
        checkOpen();
        Map<String, FloatTensor> values = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            values.put(p.name(), new FloatTensor(p.shape(), params.get(p.name()).clone()));
        }
        return new Parameters(values);
    }

    @Override
    public void setParameters(Parameters values) {
        checkOpen();
        values.checkFits(spec);
        for (ParameterSpec p : spec.parameters()) {
            params.put(p.name(), values.get(p.name()).data().clone());
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
