package org.infodyn.probes.usable;

import java.util.List;
import java.util.Map;

import org.infodyn.api.config.Params;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.api.random.Rng;

/** Synthetic representations with known usable information, all drawn from {@link Rng}. */
final class TestData {
    private TestData() {
    }

    /** A probe series of {@code usable-information} with the given settings (others default). */
    static ProbeSeries series(Map<String, ?> settings, int classes, long seed) {
        UsableInformationProbe probe = new UsableInformationProbe();
        return probe.configure(Params.bind("probes[0]", settings, probe.parameters())).open("layer", "y", classes, seed);
    }

    /** The value of one metric. */
    static double metric(List<Measurement> ms, String name) {
        return ms.stream().filter(m -> m.metric().equals(name)).findFirst().orElseThrow().value();
    }

    /** {@code bits}. */
    static double bits(List<Measurement> ms) {
        return metric(ms, UsableInformationProbe.BITS);
    }

    static ProbeData point(int classes, LabelledFeatures fit, LabelledFeatures heldOut) {
        return new ProbeData(0, classes, fit, heldOut);
    }

    static LabelledFeatures features(float[] values, int d, int[] labels) {
        return new LabelledFeatures(FloatTensor.matrix(labels.length, d, values), labels);
    }

    /** n labels, each class n/K times (±1), in random order. */
    static int[] balancedLabels(Rng rng, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
        }
        rng.shuffle(y);
        return y;
    }

    static int[] uniformLabels(Rng rng, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return y;
    }

    /** Z = one-hot(y): the representation holds Y exactly. */
    static LabelledFeatures oneHot(int[] y, int classes) {
        float[] v = new float[y.length * classes];
        for (int i = 0; i < y.length; i++) {
            v[i * classes + y[i]] = 1;
        }
        return features(v, classes, y);
    }

    /** Z ~ N(0, I_d) independent of y. */
    static LabelledFeatures independent(Rng rng, int[] y, int d) {
        float[] v = new float[y.length * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return features(v, d, y);
    }

    /** Binary symmetric channel: Z = ±1 for y flipped with probability p (1 − h(p) bits). */
    static LabelledFeatures symmetricChannel(Rng rng, int[] y, double p) {
        float[] v = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            int seen = rng.nextBoolean(p) ? 1 - y[i] : y[i];
            v[i] = seen == 1 ? 1 : -1;
        }
        return features(v, 1, y);
    }

    /** X ~ U(−1, 1)², and the variable: XOR of the signs (xor) or the sign of x1 + 0.5·x2. */
    static LabelledFeatures square(Rng rng, int n, boolean xor) {
        float[] v = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double a = 2 * rng.nextDouble() - 1;
            double b = 2 * rng.nextDouble() - 1;
            v[2 * i] = (float) a;
            v[2 * i + 1] = (float) b;
            y[i] = xor ? ((a > 0) == (b > 0) ? 1 : 0) : (a + 0.5 * b > 0 ? 1 : 0);
        }
        return features(v, 2, y);
    }

    /** Binary entropy, bits. */
    static double h(double p) {
        return -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /**
     * A noisy linear code of a binary variable, as a hidden layer might hold it:
     * {@code z = relu(A·u + noise)} with u = (±1 for y, 3 nuisance N(0,1) inputs), d units.
     */
    static LabelledFeatures layer(Rng rng, int[] y, int d, double[] mixing, double noise) {
        int inputs = 4;
        float[] v = new float[y.length * d];
        double[] u = new double[inputs];
        for (int i = 0; i < y.length; i++) {
            u[0] = y[i] == 1 ? 1 : -1;
            for (int q = 1; q < inputs; q++) {
                u[q] = rng.nextGaussian();
            }
            for (int j = 0; j < d; j++) {
                double s = noise * rng.nextGaussian();
                for (int q = 0; q < inputs; q++) {
                    s += mixing[j * inputs + q] * u[q];
                }
                v[i * d + j] = (float) Math.max(0, s);
            }
        }
        return features(v, d, y);
    }

    /** A random d × 4 mixing matrix for {@link #layer}. */
    static double[] mixing(Rng rng, int d) {
        double[] a = new double[d * 4];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        return a;
    }
}
