package org.infodyn.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;

/**
 * A plain-Java implementation of the api's network semantics, written for clarity, not speed:
 * the oracle the compatibility kits compare backends against. Forward and backward passes
 * accumulate in double and round parameters to float after each update, like a float32
 * framework. Not a backend: it lives in the testkit only.
 */
public final class ReferenceModel {
    private final ModelSpec spec;
    private final Map<String, float[]> params = new LinkedHashMap<>();
    private final Map<String, double[]> momentum = new HashMap<>();

    public ReferenceModel(ModelSpec spec, Parameters initial) {
        this.spec = spec;
        initial.checkFits(spec);
        for (ParameterSpec p : spec.parameters()) {
            params.put(p.name(), initial.get(p.name()).data());
        }
    }

    /** Replaces the parameter values; momentum buffers are kept (as {@link org.infodyn.api.backend.Model#setParameters} requires). */
    public void setParameters(Parameters values) {
        values.checkFits(spec);
        for (ParameterSpec p : spec.parameters()) {
            params.put(p.name(), values.get(p.name()).data());
        }
    }

    /** Current parameters. */
    public Parameters parameters() {
        Map<String, FloatTensor> m = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            m.put(p.name(), new FloatTensor(p.shape(), params.get(p.name()).clone()));
        }
        return new Parameters(m);
    }

    /** Outputs of every layer for a batch: {@code [n, ...layerShape]} each. */
    public Map<String, FloatTensor> activations(FloatTensor inputs) {
        List<double[]> outs = forward(inputs);
        Map<String, FloatTensor> m = new LinkedHashMap<>();
        int n = inputs.rows();
        for (int i = 0; i < spec.layers().size(); i++) {
            String name = spec.layers().get(i).name();
            double[] o = outs.get(i + 1);
            float[] f = new float[o.length];
            for (int j = 0; j < o.length; j++) {
                f[j] = (float) o[j];
            }
            int[] ls = spec.outputShape(name);
            int[] shape = new int[ls.length + 1];
            shape[0] = n;
            System.arraycopy(ls, 0, shape, 1, ls.length);
            m.put(name, new FloatTensor(shape, f));
        }
        return m;
    }

    /** Values flowing between layers: entry 0 is the input, entry i+1 the output of layer i. */
    private List<double[]> forward(FloatTensor inputs) {
        int n = inputs.rows();
        List<double[]> outs = new ArrayList<>();
        double[] h = new double[inputs.data().length];
        for (int i = 0; i < h.length; i++) {
            h[i] = inputs.data()[i];
        }
        outs.add(h);
        int[] shape = spec.inputShape();
        for (LayerSpec layer : spec.layers()) {
            int in = size(shape);
            if (layer instanceof Dense d) {
                float[] w = params.get(d.name() + ".weight");
                float[] b = params.get(d.name() + ".bias");
                double[] y = new double[n * d.units()];
                for (int s = 0; s < n; s++) {
                    for (int o = 0; o < d.units(); o++) {
                        double acc = b[o];
                        for (int j = 0; j < in; j++) {
                            acc += h[s * in + j] * w[o * in + j];
                        }
                        y[s * d.units() + o] = acc;
                    }
                }
                h = y;
            } else if (layer instanceof Activation a) {
                double[] y = new double[h.length];
                for (int j = 0; j < h.length; j++) {
                    y[j] = a.function() == Activation.Function.RELU ? Math.max(0, h[j]) : Math.tanh(h[j]);
                }
                h = y;
            } else if (layer instanceof Flatten) {
                h = h.clone();
            } else {
                throw new IllegalArgumentException("the reference does not implement " + layer.kind());
            }
            shape = layer.outputShape(shape);
            outs.add(h);
        }
        return outs;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Mean softmax cross-entropy (nats) of a batch at the current parameters. */
    public double loss(FloatTensor inputs, int[] labels) {
        List<double[]> outs = forward(inputs);
        double[] logits = outs.get(outs.size() - 1);
        int k = spec.outputClasses();
        double loss = 0;
        for (int s = 0; s < labels.length; s++) {
            loss -= logSoftmax(logits, s * k, k)[labels[s]];
        }
        return loss / labels.length;
    }

    private static double[] logSoftmax(double[] z, int off, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, z[off + c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += Math.exp(z[off + c] - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[k];
        for (int c = 0; c < k; c++) {
            out[c] = z[off + c] - lse;
        }
        return out;
    }

    /** One SGD step with the api's semantics (see {@link org.infodyn.api.backend.Model#step}); returns the loss before it. */
    public double step(FloatTensor inputs, int[] labels, SgdSettings sgd) {
        int n = inputs.rows();
        List<double[]> outs = forward(inputs);
        int k = spec.outputClasses();
        double[] logits = outs.get(outs.size() - 1);
        double loss = 0;
        double[] grad = new double[logits.length];
        for (int s = 0; s < n; s++) {
            double[] ls = logSoftmax(logits, s * k, k);
            loss -= ls[labels[s]];
            for (int c = 0; c < k; c++) {
                grad[s * k + c] = (Math.exp(ls[c]) - (c == labels[s] ? 1 : 0)) / n;
            }
        }
        Map<String, double[]> grads = new HashMap<>();
        List<int[]> shapes = new ArrayList<>();
        int[] shape = spec.inputShape();
        for (LayerSpec layer : spec.layers()) {
            shapes.add(shape);
            shape = layer.outputShape(shape);
        }
        for (int li = spec.layers().size() - 1; li >= 0; li--) {
            LayerSpec layer = spec.layers().get(li);
            double[] x = outs.get(li);
            double[] y = outs.get(li + 1);
            int in = size(shapes.get(li));
            if (layer instanceof Dense d) {
                float[] w = params.get(d.name() + ".weight");
                double[] gw = new double[w.length];
                double[] gb = new double[d.units()];
                double[] gx = new double[n * in];
                for (int s = 0; s < n; s++) {
                    for (int o = 0; o < d.units(); o++) {
                        double gy = grad[s * d.units() + o];
                        gb[o] += gy;
                        for (int j = 0; j < in; j++) {
                            gw[o * in + j] += gy * x[s * in + j];
                            gx[s * in + j] += gy * w[o * in + j];
                        }
                    }
                }
                grads.put(d.name() + ".weight", gw);
                grads.put(d.name() + ".bias", gb);
                grad = gx;
            } else if (layer instanceof Activation a) {
                double[] gx = new double[grad.length];
                for (int j = 0; j < grad.length; j++) {
                    gx[j] = a.function() == Activation.Function.RELU ? (x[j] > 0 ? grad[j] : 0) : grad[j] * (1 - y[j] * y[j]);
                }
                grad = gx;
            }
        }
        for (ParameterSpec p : spec.parameters()) {
            if (!p.trainable()) {
                continue;
            }
            float[] w = params.get(p.name());
            double[] g = grads.get(p.name());
            double[] buf = sgd.momentum() != 0 ? momentum.computeIfAbsent(p.name(), x -> new double[w.length]) : null;
            for (int j = 0; j < w.length; j++) {
                double gj = g[j] + sgd.weightDecay() * w[j];
                double update = gj;
                if (buf != null) {
                    buf[j] = sgd.momentum() * buf[j] + gj; // the buffer starts at zero
                    update = buf[j];
                }
                w[j] = (float) (w[j] - sgd.learningRate() * update);
            }
        }
        return loss / n;
    }

    /** Clears momentum buffers. */
    public void resetOptimizerState() {
        momentum.clear();
    }

    @Override
    public String toString() {
        return "ReferenceModel" + Arrays.toString(spec.inputShape());
    }
}
