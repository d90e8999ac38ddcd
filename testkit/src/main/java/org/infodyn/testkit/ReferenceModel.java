package org.infodyn.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.backend.SgdSettings;
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
 * A plain-Java implementation of the api's network semantics, written for clarity, not speed:
 * the oracle the compatibility kits compare backends against. Every layer kind of the model spec
 * is here, forward (training and inference mode) and backward. Values flow in double; parameters
 * are rounded to float after each update, like a float32 framework. Not a backend: it lives in
 * the testkit only.
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

    /** A batch of values: {@code [n, ...sampleShape]}, row-major. */
    private record T(int[] shape, double[] v) {
        int n() {
            return shape[0];
        }

        int sample() {
            return v.length / shape[0];
        }

        int dim(int i) {
            return shape[i];
        }
    }

    /** What the backward pass of one layer needs from its forward pass. */
    private record Trace(LayerSpec layer, T in, T out, Object extra) {
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

    private static T of(FloatTensor x) {
        double[] v = new double[x.data().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = x.data()[i];
        }
        return new T(x.shape(), v);
    }

    /** Outputs of every top-level layer for a batch, in inference mode: {@code [n, ...layerShape]} each. */
    public Map<String, FloatTensor> activations(FloatTensor inputs) {
        Map<String, FloatTensor> m = new LinkedHashMap<>();
        T h = of(inputs);
        for (LayerSpec l : spec.layers()) {
            h = forward(l, h, false, null);
            float[] f = new float[h.v().length];
            for (int j = 0; j < f.length; j++) {
                f[j] = (float) h.v()[j];
            }
            m.put(l.name(), new FloatTensor(h.shape(), f));
        }
        return m;
    }

    private T chain(List<LayerSpec> layers, T x, boolean training, List<Trace> trace) {
        T h = x;
        for (LayerSpec l : layers) {
            h = forward(l, h, training, trace);
        }
        return h;
    }

    private T forward(LayerSpec layer, T x, boolean training, List<Trace> trace) {
        Object extra = null;
        T y;
        if (layer instanceof Dense d) {
            y = dense(d, x);
        } else if (layer instanceof Activation a) {
            double[] v = new double[x.v().length];
            for (int j = 0; j < v.length; j++) {
                v[j] = a.function() == Activation.Function.RELU ? Math.max(0, x.v()[j]) : Math.tanh(x.v()[j]);
            }
            y = new T(x.shape(), v);
        } else if (layer instanceof Flatten) {
            y = new T(new int[] {x.n(), x.sample()}, x.v());
        } else if (layer instanceof Conv2d c) {
            y = conv(c, x);
        } else if (layer instanceof Pool2d p) {
            y = pool(p, x);
        } else if (layer instanceof GlobalAvgPool) {
            int n = x.n();
            int c = x.dim(1);
            int hw = x.dim(2) * x.dim(3);
            double[] v = new double[n * c];
            for (int i = 0; i < n * c; i++) {
                double s = 0;
                for (int p = 0; p < hw; p++) {
                    s += x.v()[i * hw + p];
                }
                v[i] = s / hw;
            }
            y = new T(new int[] {n, c}, v);
        } else if (layer instanceof BatchNorm b) {
            double[][] stats = new double[3][];
            y = batchNorm(b, x, training, stats);
            stats[2] = training ? null : new double[0]; // marks an inference-mode pass for the backward
            extra = stats;
        } else if (layer instanceof Residual r) {
            List<Trace> body = trace == null ? null : new ArrayList<>();
            List<Trace> shortcut = trace == null ? null : new ArrayList<>();
            T a = chain(r.body(), x, training, body);
            T s = chain(r.shortcut(), x, training, shortcut);
            double[] v = new double[a.v().length];
            for (int j = 0; j < v.length; j++) {
                v[j] = a.v()[j] + s.v()[j];
            }
            y = new T(a.shape(), v);
            extra = new List<?>[] {body, shortcut};
        } else {
            throw new IllegalArgumentException("the reference does not implement " + layer.kind());
        }
        if (trace != null) {
            trace.add(new Trace(layer, x, y, extra));
        }
        return y;
    }

    private T dense(Dense d, T x) {
        int n = x.n();
        int in = x.sample();
        float[] w = params.get(d.name() + ".weight");
        float[] b = params.get(d.name() + ".bias");
        double[] y = new double[n * d.units()];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < d.units(); o++) {
                double acc = b[o];
                for (int j = 0; j < in; j++) {
                    acc += x.v()[s * in + j] * w[o * in + j];
                }
                y[s * d.units() + o] = acc;
            }
        }
        return new T(new int[] {n, d.units()}, y);
    }

    private T conv(Conv2d c, T x) {
        int n = x.n();
        int ci = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int[] os = c.outputShape(new int[] {ci, h, wd});
        int oh = os[1];
        int ow = os[2];
        int k = c.kernel();
        float[] w = params.get(c.name() + ".weight");
        float[] b = params.get(c.name() + ".bias");
        double[] y = new double[n * c.filters() * oh * ow];
        for (int s = 0; s < n; s++) {
            for (int f = 0; f < c.filters(); f++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = b[f];
                        for (int ch = 0; ch < ci; ch++) {
                            for (int i = 0; i < k; i++) {
                                int iy = oy * c.stride() + i - c.padding();
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int j = 0; j < k; j++) {
                                    int ix = ox * c.stride() + j - c.padding();
                                    if (ix < 0 || ix >= wd) {
                                        continue;
                                    }
                                    acc += x.v()[((s * ci + ch) * h + iy) * wd + ix] * w[((f * ci + ch) * k + i) * k + j];
                                }
                            }
                        }
                        y[((s * c.filters() + f) * oh + oy) * ow + ox] = acc;
                    }
                }
            }
        }
        return new T(new int[] {n, c.filters(), oh, ow}, y);
    }

    private static T pool(Pool2d p, T x) {
        int n = x.n();
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int[] os = p.outputShape(new int[] {c, h, w});
        int oh = os[1];
        int ow = os[2];
        double[] y = new double[n * c * oh * ow];
        for (int i = 0; i < n * c; i++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double acc = p.function() == Pool2d.Function.MAX ? Double.NEGATIVE_INFINITY : 0;
                    for (int a = 0; a < p.kernel(); a++) {
                        for (int b = 0; b < p.kernel(); b++) {
                            double v = x.v()[(i * h + oy * p.stride() + a) * w + ox * p.stride() + b];
                            acc = p.function() == Pool2d.Function.MAX ? Math.max(acc, v) : acc + v;
                        }
                    }
                    y[(i * oh + oy) * ow + ox] = p.function() == Pool2d.Function.MAX ? acc : acc / (p.kernel() * p.kernel());
                }
            }
        }
        return new T(new int[] {n, c, oh, ow}, y);
    }

    /** Batch norm; {@code stats} receives the per-channel mean and 1/√(var+ε) used. */
    private T batchNorm(BatchNorm b, T x, boolean training, double[][] stats) {
        int n = x.n();
        int c = x.dim(1);
        int plane = x.sample() / c;
        int m = n * plane;
        float[] gamma = params.get(b.name() + ".weight");
        float[] beta = params.get(b.name() + ".bias");
        float[] rm = params.get(b.name() + ".running_mean");
        float[] rv = params.get(b.name() + ".running_var");
        double[] mean = new double[c];
        double[] inv = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double mu;
            double var;
            if (training) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < plane; p++) {
                        s += x.v()[(i * c + ch) * plane + p];
                    }
                }
                mu = s / m;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < plane; p++) {
                        double d = x.v()[(i * c + ch) * plane + p] - mu;
                        ss += d * d;
                    }
                }
                var = ss / m;
                rm[ch] = (float) ((1 - b.momentum()) * rm[ch] + b.momentum() * mu);
                rv[ch] = (float) ((1 - b.momentum()) * rv[ch] + b.momentum() * (m > 1 ? ss / (m - 1) : var));
            } else {
                mu = rm[ch];
                var = rv[ch];
            }
            mean[ch] = mu;
            inv[ch] = 1 / Math.sqrt(var + b.epsilon());
        }
        double[] y = new double[x.v().length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    int idx = (i * c + ch) * plane + p;
                    y[idx] = gamma[ch] * (x.v()[idx] - mean[ch]) * inv[ch] + beta[ch];
                }
            }
        }
        stats[0] = mean;
        stats[1] = inv;
        return new T(x.shape(), y);
    }

    /** Mean softmax cross-entropy (nats) of a batch at the current parameters, inference mode. */
    public double loss(FloatTensor inputs, int[] labels) {
        T logits = chain(spec.layers(), of(inputs), false, null);
        int k = spec.outputClasses();
        double loss = 0;
        for (int s = 0; s < labels.length; s++) {
            loss -= logSoftmax(logits.v(), s * k, k)[labels[s]];
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

    /**
     * The training-mode loss and its gradient with respect to every trainable parameter, in
     * double precision. The forward pass updates batch-norm running statistics, as training does.
     *
     * @param gradsOut receives parameter name → gradient (canonical layout)
     * @return mean softmax cross-entropy of the batch, nats
     */
    public double gradients(FloatTensor inputs, int[] labels, Map<String, double[]> gradsOut) {
        return gradients(inputs, labels, true, gradsOut);
    }

    /**
     * The api's {@link org.infodyn.api.backend.Model#gradient}: the inference-mode loss and its
     * gradient with respect to every trainable parameter, in double precision; nothing changes.
     *
     * @param gradsOut receives parameter name → gradient (canonical layout)
     * @return mean softmax cross-entropy of the batch, nats
     */
    public double inferenceGradients(FloatTensor inputs, int[] labels, Map<String, double[]> gradsOut) {
        return gradients(inputs, labels, false, gradsOut);
    }

    private double gradients(FloatTensor inputs, int[] labels, boolean training, Map<String, double[]> gradsOut) {
        List<Trace> trace = new ArrayList<>();
        T logits = chain(spec.layers(), of(inputs), training, trace);
        int n = inputs.rows();
        int k = spec.outputClasses();
        double loss = 0;
        double[] grad = new double[logits.v().length];
        for (int s = 0; s < n; s++) {
            double[] ls = logSoftmax(logits.v(), s * k, k);
            loss -= ls[labels[s]];
            for (int c = 0; c < k; c++) {
                grad[s * k + c] = (Math.exp(ls[c]) - (c == labels[s] ? 1 : 0)) / n;
            }
        }
        backwardChain(trace, new T(logits.shape(), grad), gradsOut);
        return loss / n;
    }

    /** One SGD step with the api's semantics (see {@link org.infodyn.api.backend.Model#step}); returns the loss before it. */
    public double step(FloatTensor inputs, int[] labels, SgdSettings sgd) {
        Map<String, double[]> grads = new HashMap<>();
        double loss = gradients(inputs, labels, grads);
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
        return loss;
    }

    private T backwardChain(List<Trace> trace, T dy, Map<String, double[]> grads) {
        T g = dy;
        for (int i = trace.size() - 1; i >= 0; i--) {
            g = backward(trace.get(i), g, grads);
        }
        return g;
    }

    @SuppressWarnings("unchecked")
    private T backward(Trace t, T dy, Map<String, double[]> grads) {
        LayerSpec layer = t.layer();
        T x = t.in();
        if (layer instanceof Dense d) {
            int n = x.n();
            int in = x.sample();
            float[] w = params.get(d.name() + ".weight");
            double[] gw = new double[w.length];
            double[] gb = new double[d.units()];
            double[] gx = new double[n * in];
            for (int s = 0; s < n; s++) {
                for (int o = 0; o < d.units(); o++) {
                    double gy = dy.v()[s * d.units() + o];
                    gb[o] += gy;
                    for (int j = 0; j < in; j++) {
                        gw[o * in + j] += gy * x.v()[s * in + j];
                        gx[s * in + j] += gy * w[o * in + j];
                    }
                }
            }
            grads.merge(d.name() + ".weight", gw, ReferenceModel::add);
            grads.merge(d.name() + ".bias", gb, ReferenceModel::add);
            return new T(x.shape(), gx);
        }
        if (layer instanceof Activation a) {
            double[] gx = new double[dy.v().length];
            for (int j = 0; j < gx.length; j++) {
                gx[j] = a.function() == Activation.Function.RELU ? (x.v()[j] > 0 ? dy.v()[j] : 0)
                        : dy.v()[j] * (1 - t.out().v()[j] * t.out().v()[j]);
            }
            return new T(x.shape(), gx);
        }
        if (layer instanceof Flatten) {
            return new T(x.shape(), dy.v());
        }
        if (layer instanceof Conv2d c) {
            return convBackward(c, x, dy, grads);
        }
        if (layer instanceof Pool2d p) {
            return poolBackward(p, x, dy);
        }
        if (layer instanceof GlobalAvgPool) {
            int hw = x.dim(2) * x.dim(3);
            double[] gx = new double[x.v().length];
            for (int i = 0; i < dy.v().length; i++) {
                for (int q = 0; q < hw; q++) {
                    gx[i * hw + q] = dy.v()[i] / hw;
                }
            }
            return new T(x.shape(), gx);
        }
        if (layer instanceof BatchNorm b) {
            return batchNormBackward(b, x, dy, (double[][]) t.extra(), grads);
        }
        if (layer instanceof Residual) {
            List<?>[] branches = (List<?>[]) t.extra();
            T gb = backwardChain((List<Trace>) branches[0], dy, grads);
            T gs = backwardChain((List<Trace>) branches[1], dy, grads);
            return new T(x.shape(), add(gb.v(), gs.v()));
        }
        throw new IllegalArgumentException("the reference does not implement " + layer.kind());
    }

    private T convBackward(Conv2d c, T x, T dy, Map<String, double[]> grads) {
        int n = x.n();
        int ci = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int oh = dy.dim(2);
        int ow = dy.dim(3);
        int k = c.kernel();
        float[] w = params.get(c.name() + ".weight");
        double[] gw = new double[w.length];
        double[] gb = new double[c.filters()];
        double[] gx = new double[x.v().length];
        for (int s = 0; s < n; s++) {
            for (int f = 0; f < c.filters(); f++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double g = dy.v()[((s * c.filters() + f) * oh + oy) * ow + ox];
                        gb[f] += g;
                        for (int ch = 0; ch < ci; ch++) {
                            for (int i = 0; i < k; i++) {
                                int iy = oy * c.stride() + i - c.padding();
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int j = 0; j < k; j++) {
                                    int ix = ox * c.stride() + j - c.padding();
                                    if (ix < 0 || ix >= wd) {
                                        continue;
                                    }
                                    int xi = ((s * ci + ch) * h + iy) * wd + ix;
                                    int wi = ((f * ci + ch) * k + i) * k + j;
                                    gw[wi] += g * x.v()[xi];
                                    gx[xi] += g * w[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
        grads.merge(c.name() + ".weight", gw, ReferenceModel::add);
        grads.merge(c.name() + ".bias", gb, ReferenceModel::add);
        return new T(x.shape(), gx);
    }

    private static T poolBackward(Pool2d p, T x, T dy) {
        int nc = x.n() * x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = dy.dim(2);
        int ow = dy.dim(3);
        double[] gx = new double[x.v().length];
        for (int i = 0; i < nc; i++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double g = dy.v()[(i * oh + oy) * ow + ox];
                    if (p.function() == Pool2d.Function.AVG) {
                        for (int a = 0; a < p.kernel(); a++) {
                            for (int b = 0; b < p.kernel(); b++) {
                                gx[(i * h + oy * p.stride() + a) * w + ox * p.stride() + b] += g / (p.kernel() * p.kernel());
                            }
                        }
                    } else {
                        int best = -1;
                        for (int a = 0; a < p.kernel(); a++) {
                            for (int b = 0; b < p.kernel(); b++) {
                                int idx = (i * h + oy * p.stride() + a) * w + ox * p.stride() + b;
                                if (best < 0 || x.v()[idx] > x.v()[best]) {
                                    best = idx;
                                }
                            }
                        }
                        gx[best] += g;
                    }
                }
            }
        }
        return new T(x.shape(), gx);
    }

    private T batchNormBackward(BatchNorm b, T x, T dy, double[][] stats, Map<String, double[]> grads) {
        int n = x.n();
        int c = x.dim(1);
        int plane = x.sample() / c;
        int m = n * plane;
        float[] gamma = params.get(b.name() + ".weight");
        double[] mean = stats[0];
        double[] inv = stats[1];
        double[] gg = new double[c];
        double[] gbeta = new double[c];
        double[] gx = new double[x.v().length];
        boolean inference = stats[2] != null; // running statistics are constants: y is affine in x
        for (int ch = 0; ch < c; ch++) {
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    int idx = (i * c + ch) * plane + p;
                    double xhat = (x.v()[idx] - mean[ch]) * inv[ch];
                    sumDy += dy.v()[idx];
                    sumDyXhat += dy.v()[idx] * xhat;
                }
            }
            gg[ch] = sumDyXhat;
            gbeta[ch] = sumDy;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    int idx = (i * c + ch) * plane + p;
                    double xhat = (x.v()[idx] - mean[ch]) * inv[ch];
                    gx[idx] = inference ? gamma[ch] * inv[ch] * dy.v()[idx]
                            : gamma[ch] * inv[ch] * (dy.v()[idx] - sumDy / m - xhat * sumDyXhat / m);
                }
            }
        }
        grads.merge(b.name() + ".weight", gg, ReferenceModel::add);
        grads.merge(b.name() + ".bias", gbeta, ReferenceModel::add);
        return new T(x.shape(), gx);
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }

    /** Clears momentum buffers. */
    public void resetOptimizerState() {
        momentum.clear();
    }

    @Override
    public String toString() {
        return "ReferenceModel[" + spec.describe() + "]";
    }
}
