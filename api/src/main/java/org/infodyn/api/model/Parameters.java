package org.infodyn.api.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.infodyn.api.data.FloatTensor;

/**
 * A model's parameter values in the canonical layout (dense weights {@code [out, in]}), by full
 * name, in the model's canonical order. This is the only form in which parameters cross the
 * backend boundary: backends convert to and from their own layouts.
 *
 * <p>Immutable: the constructor and accessors copy.
 */
public final class Parameters {
    private final Map<String, FloatTensor> values;

    /** Values by name; copied. */
    public Parameters(Map<String, FloatTensor> values) {
        Map<String, FloatTensor> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, new FloatTensor(v.shape(), v.data().clone())));
        this.values = Collections.unmodifiableMap(copy);
    }

    /** Names in canonical order. */
    public Set<String> names() {
        return values.keySet();
    }

    /** One parameter (a copy). */
    public FloatTensor get(String name) {
        FloatTensor t = values.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named " + name + "; have " + values.keySet());
        }
        return new FloatTensor(t.shape(), t.data().clone());
    }

    /** A copy with one parameter replaced (same shape required). */
    public Parameters with(String name, FloatTensor value) {
        FloatTensor old = values.get(name);
        if (old == null || !Arrays.equals(old.shape(), value.shape())) {
            throw new IllegalArgumentException("cannot replace " + name + ": shape " + value.shapeString()
                    + " vs " + (old == null ? "absent" : old.shapeString()));
        }
        Map<String, FloatTensor> m = new LinkedHashMap<>(values);
        m.put(name, value);
        return new Parameters(m);
    }

    /** Total number of values. */
    public long size() {
        return values.values().stream().mapToLong(t -> t.data().length).sum();
    }

    /**
     * Checks that these parameters fit a model: same names, order-insensitive, and shapes.
     *
     * @throws IllegalArgumentException naming the first mismatch
     */
    public void checkFits(ModelSpec spec) {
        List<ParameterSpec> expected = spec.parameters();
        if (expected.size() != values.size()) {
            throw new IllegalArgumentException("model " + spec.id() + " has " + expected.size() + " parameters "
                    + expected.stream().map(ParameterSpec::name).toList() + ", got " + values.size() + " " + values.keySet());
        }
        for (ParameterSpec p : expected) {
            FloatTensor t = values.get(p.name());
            if (t == null) {
                throw new IllegalArgumentException("missing parameter " + p.name() + "; got " + values.keySet());
            }
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException("parameter " + p.name() + " has shape " + t.shapeString()
                        + ", the model needs " + Arrays.toString(p.shape()));
            }
        }
    }

    /**
     * The largest element-wise difference to {@code other}, relative to the larger magnitude of
     * each pair with a floor of {@code absFloor}: {@code max |a−b| / max(|a|, |b|, absFloor)}.
     */
    public double maxRelativeDifference(Parameters other, double absFloor) {
        double worst = 0;
        for (Map.Entry<String, FloatTensor> e : values.entrySet()) {
            float[] a = e.getValue().data();
            float[] b = other.values.get(e.getKey()).data();
            for (int i = 0; i < a.length; i++) {
                double scale = Math.max(absFloor, Math.max(Math.abs(a[i]), Math.abs(b[i])));
                worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
            }
        }
        return worst;
    }

    /**
     * The largest per-tensor difference to {@code other}, relative to the tensor's size:
     * {@code max over tensors of ‖a−b‖ / max(‖a‖, ‖b‖)} (Euclidean norms; 0 for two zero tensors).
     * Unlike {@link #maxRelativeDifference} it is not ruled by one element: over thousands of SGD
     * steps float32 round-off lets a single hidden unit that sits at a ReLU's kink drift by a
     * percent while its tensor moves by 1e-4.
     */
    public double maxRelativeNormDifference(Parameters other) {
        double worst = 0;
        for (Map.Entry<String, FloatTensor> e : values.entrySet()) {
            float[] a = e.getValue().data();
            float[] b = other.values.get(e.getKey()).data();
            double diff = 0;
            double normA = 0;
            double normB = 0;
            for (int i = 0; i < a.length; i++) {
                double d = (double) a[i] - b[i];
                diff += d * d;
                normA += (double) a[i] * a[i];
                normB += (double) b[i] * b[i];
            }
            double scale = Math.sqrt(Math.max(normA, normB));
            if (diff > 0) {
                worst = Math.max(worst, scale > 0 ? Math.sqrt(diff) / scale : Double.POSITIVE_INFINITY);
            }
        }
        return worst;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Parameters p) || !p.values.keySet().equals(values.keySet())) {
            return false;
        }
        for (String k : values.keySet()) {
            if (!Arrays.equals(values.get(k).shape(), p.values.get(k).shape())
                    || !Arrays.equals(values.get(k).data(), p.values.get(k).data())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Map.Entry<String, FloatTensor> e : values.entrySet()) {
            h = 31 * h + e.getKey().hashCode();
            h = 31 * h + Arrays.hashCode(e.getValue().data());
        }
        return h;
    }

    @Override
    public String toString() {
        return "Parameters" + values.keySet() + " (" + size() + " values)";
    }
}
