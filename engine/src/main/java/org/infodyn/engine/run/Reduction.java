package org.infodyn.engine.run;

import java.util.Arrays;
import java.util.Locale;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.random.Rng;
import org.infodyn.engine.experiment.ReduceSetting;
import org.infodyn.engine.experiment.ReduceSetting.Kind;

/**
 * A probe block's reduction resolved for one layer: what the probe is given instead of the layer's
 * raw activations. Every reduction is linear (a mean, a pooling, a projection), so a linear
 * decoder on the reduced features is a linear decoder on the layer: the information measured is
 * that of the reduced representation, a lower bound on the layer's own. A reduced layer is
 * written as {@code layer@reduction} in the outputs (e.g. {@code block1@spatial-pool:4}), so
 * that no number is ever mistaken for the whole layer's. Immutable, except for the projection
 * matrix of {@code random-projection}, drawn once on first use.
 */
public final class Reduction {
    private final Kind kind;
    private final int size;
    private final int[] shape;
    private final int inputs;
    private final int outputs;
    private final long seed;
    private float[] projection; // random-projection: inputs × outputs, row-major

    private Reduction(Kind kind, int size, int[] shape, int outputs, long seed) {
        this.kind = kind;
        this.size = size;
        this.shape = shape.clone();
        this.inputs = Math.toIntExact(Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b));
        this.outputs = outputs;
        this.seed = seed;
    }

    /** The identity on a layer of per-sample shape {@code shape}: what a probe's companion layer is, and a parameter probe's layer. */
    static Reduction none(int[] shape) {
        return new Reduction(Kind.NONE, 0, shape, Arrays.stream(shape).reduce(1, Math::multiplyExact), 0);
    }

    /**
     * Resolves a setting for one layer.
     *
     * @param shape the layer's per-sample output shape ({@code [C, H, W]} for a feature map)
     * @param fitSamples the samples a PCA finds its directions on (it has at most one component fewer)
     * @param seed seeds the projection of {@code random-projection} (and the start of {@code pca})
     * @param path the field's path, for messages
     * @throws ConfigException when the reduction does not apply to the layer
     */
    public static Reduction resolve(ReduceSetting setting, String layer, int[] shape, int fitSamples, long seed, String path) {
        long d = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
        boolean map = shape.length == 3;
        String described = "layer " + layer + " (" + shape(shape) + ", " + d + " features)";
        switch (setting.kind()) {
            case AUTO:
                if (d <= ReduceSetting.AUTO_MAX_FEATURES || !map) {
                    return new Reduction(Kind.NONE, 0, shape, (int) d, seed);
                }
                int k = (int) Math.floor(Math.sqrt((double) ReduceSetting.AUTO_MAX_FEATURES / shape[0]));
                if (k < 1) {
                    return new Reduction(Kind.CHANNEL_MEAN, 0, shape, shape[0], seed);
                }
                k = Math.min(k, Math.min(shape[1], shape[2]));
                return new Reduction(Kind.SPATIAL_POOL, k, shape, shape[0] * k * k, seed);
            case NONE:
                return new Reduction(Kind.NONE, 0, shape, (int) d, seed);
            case CHANNEL_MEAN:
                if (shape.length < 2) {
                    throw new ConfigException(path, "channel-mean needs a layer with channels, but " + described
                            + " is a vector; use none, random-projection:D or pca:D");
                }
                return new Reduction(Kind.CHANNEL_MEAN, 0, shape, shape[0], seed);
            case SPATIAL_POOL:
                if (!map) {
                    throw new ConfigException(path, "spatial-pool:K needs a feature map [C, H, W], but " + described
                            + " is not one; use none, random-projection:D or pca:D");
                }
                if (setting.size() > Math.min(shape[1], shape[2])) {
                    throw new ConfigException(path, "spatial-pool:" + setting.size() + " asks for a finer grid than " + described
                            + " has; K must be at most " + Math.min(shape[1], shape[2]));
                }
                return new Reduction(Kind.SPATIAL_POOL, setting.size(), shape, shape[0] * setting.size() * setting.size(), seed);
            case RANDOM_PROJECTION:
                if (setting.size() >= d) {
                    throw new ConfigException(path, "random-projection:" + setting.size() + " would not reduce " + described
                            + "; D must be below " + d + " (or write none)");
                }
                if (d * setting.size() > Integer.MAX_VALUE - 8) {
                    throw new ConfigException(path, "random-projection:" + setting.size() + " of " + described + " needs a "
                            + d + " × " + setting.size() + " matrix, more than a Java array holds; choose a smaller D");
                }
                return new Reduction(Kind.RANDOM_PROJECTION, setting.size(), shape, setting.size(), seed);
            case PCA:
                int most = (int) Math.min(d - 1, fitSamples - 1L);
                if (setting.size() > most) {
                    throw new ConfigException(path, "pca:" + setting.size() + " of " + described + " with " + fitSamples
                            + " fit samples: D must be at most " + most);
                }
                return new Reduction(Kind.PCA, setting.size(), shape, setting.size(), seed);
            default:
                throw new IllegalStateException(setting.kind().toString());
        }
    }

    private static String shape(int[] shape) {
        return Arrays.toString(shape).replace(", ", "×").replace("[", "").replace("]", "");
    }

    /** The reduction's name as written in the outputs: {@code none}, {@code channel-mean}, {@code spatial-pool:4}, … */
    public String id() {
        return kind.sized() ? kind.id() + ":" + size : kind.id();
    }

    /** Whether the probe sees the layer as it is. */
    public boolean isIdentity() {
        return kind == Kind.NONE;
    }

    /** Features per sample before. */
    public int inputFeatures() {
        return inputs;
    }

    /** Features per sample after. */
    public int outputFeatures() {
        return outputs;
    }

    /** The name of what is measured: the layer, or {@code layer@reduction}. */
    public String measuredName(String layer) {
        return isIdentity() ? layer : layer + "@" + id();
    }

    /** For the manifest: e.g. {@code spatial-pool:4 (32×14×14 = 6272 → 512 features)}, {@code none (128 features)}. */
    public String describe() {
        String before = (shape.length > 1 ? shape(shape) + " = " : "") + inputs;
        return isIdentity() ? String.format(Locale.ROOT, "none (%s features)", before)
                : String.format(Locale.ROOT, "%s (%s → %d features)", id(), before, outputs);
    }

    /**
     * Reduces every row of a layer's activations.
     *
     * @param acts {@code [n, inputFeatures]}
     * @param fitRows the first rows are the probe's fit samples: {@code pca} finds its directions on
     *     them (label-free); a probe that fits on the held-out split (fitRows 0) has them found
     *     on the rows from {@code heldFrom} on
     * @param heldFrom the first held-out row
     */
    public FloatTensor apply(FloatTensor acts, int fitRows, int heldFrom) {
        if (isIdentity()) {
            return acts;
        }
        int n = acts.dim(0);
        if (acts.dim(1) != inputs) {
            throw new IllegalArgumentException("expected " + inputs + " features, got " + acts.dim(1));
        }
        float[] out = switch (kind) {
            case CHANNEL_MEAN -> channelMean(acts.data(), n);
            case SPATIAL_POOL -> spatialPool(acts.data(), n);
            case RANDOM_PROJECTION -> project(acts.data(), n, projection(), outputs);
            case PCA -> fitRows > 0 ? PrincipalComponents.project(acts.data(), n, inputs, 0, fitRows, outputs, seed)
                    : PrincipalComponents.project(acts.data(), n, inputs, heldFrom, n, outputs, seed);
            default -> throw new IllegalStateException(kind.toString());
        };
        return FloatTensor.matrix(n, outputs, out);
    }

    private float[] channelMean(float[] x, int n) {
        int c = shape[0];
        int per = inputs / c;
        float[] out = new float[n * c];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                int from = i * inputs + ch * per;
                for (int j = 0; j < per; j++) {
                    s += x[from + j];
                }
                out[i * c + ch] = (float) (s / per);
            }
        }
        return out;
    }

    /** Adaptive average pooling to a K × K grid: window i covers rows ⌊iH/K⌋ … ⌈(i+1)H/K⌉ − 1, as PyTorch's. */
    private float[] spatialPool(float[] x, int n) {
        int c = shape[0];
        int h = shape[1];
        int w = shape[2];
        int k = size;
        float[] out = new float[n * outputs];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = i * inputs + ch * h * w;
                for (int a = 0; a < k; a++) {
                    int r0 = a * h / k;
                    int r1 = ((a + 1) * h + k - 1) / k;
                    for (int b = 0; b < k; b++) {
                        int c0 = b * w / k;
                        int c1 = ((b + 1) * w + k - 1) / k;
                        double s = 0;
                        for (int r = r0; r < r1; r++) {
                            for (int col = c0; col < c1; col++) {
                                s += x[base + r * w + col];
                            }
                        }
                        out[i * outputs + (ch * k + a) * k + b] = (float) (s / ((r1 - r0) * (c1 - c0)));
                    }
                }
            }
        }
        return out;
    }

    private synchronized float[] projection() {
        if (projection == null) {
            Rng rng = new Rng(seed);
            float[] p = new float[inputs * outputs];
            double scale = 1 / Math.sqrt(outputs);
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (rng.nextGaussian() * scale);
            }
            projection = p;
        }
        return projection;
    }

    /** {@code out_i = Σ_j x_ij · P_j}: axpys over rows of P, which vectorise. */
    private float[] project(float[] x, int n, float[] p, int dOut) {
        float[] out = new float[n * dOut];
        float[] row = new float[dOut];
        for (int i = 0; i < n; i++) {
            Arrays.fill(row, 0);
            for (int j = 0; j < inputs; j++) {
                float a = x[i * inputs + j];
                if (a != 0) { // ReLU layers are mostly zeros
                    int from = j * dOut;
                    for (int k = 0; k < dOut; k++) {
                        row[k] += a * p[from + k];
                    }
                }
            }
            System.arraycopy(row, 0, out, i * dOut, dOut);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Reduction[" + describe() + "]";
    }
}
