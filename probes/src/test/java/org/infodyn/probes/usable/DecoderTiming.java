package org.infodyn.probes.usable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.api.random.Rng;
import org.infodyn.probes.decoder.DesignMatrix;
import org.infodyn.probes.decoder.LabelCounts;
import org.infodyn.probes.decoder.LinearDecoder;
import org.infodyn.probes.decoder.MlpDecoder;
import org.infodyn.probes.decoder.Standardizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Timing of the default workload of a run (not a test: it asserts nothing and is skipped unless
 * {@code -Dinfodyn.timing=true}): 46 probe points × layers of widths (100, 100, 2) × 3 binary
 * variables, fit n = 2000, score n = 1000, on synthetic representations of a 3-layer network
 * that drift from point to point as a trained network's do. Run with
 * {@code mvn -o -pl probes test -Dtest=DecoderTiming -Dinfodyn.timing=true} and read
 * {@code probes/target/surefire-reports/*DecoderTiming-output.txt}.
 */
@EnabledIfSystemProperty(named = "infodyn.timing", matches = "true")
class DecoderTiming {
    private static final int POINTS = 46;
    private static final int[] WIDTHS = {100, 100, 2};
    private static final int VARIABLES = 3;
    private static final int FIT = 2000;
    private static final int HELD = 1000;
    private static final int INPUTS = 8;

    /** acts[point][layer] = [FIT + HELD, width] activations; labels[variable] per sample. */
    private record Workload(float[][][] acts, int[][] labels) {
    }

    private static Workload workload(long seed) {
        Rng rng = new Rng(seed);
        int n = FIT + HELD;
        double[][] u = new double[n][INPUTS];
        for (double[] row : u) {
            for (int q = 0; q < INPUTS; q++) {
                row[q] = rng.nextGaussian();
            }
        }
        int[][] labels = new int[VARIABLES][n];
        for (int v = 0; v < VARIABLES; v++) {
            for (int i = 0; i < n; i++) {
                labels[v][i] = u[i][v] + 0.3 * u[i][v + 3] + 0.2 * rng.nextGaussian() > 0 ? 1 : 0;
            }
        }
        double[][] m1 = gaussian(rng, WIDTHS[0], INPUTS, 1 / Math.sqrt(INPUTS));
        double[][] m2 = gaussian(rng, WIDTHS[1], WIDTHS[0], 1 / Math.sqrt(WIDTHS[0]));
        double[][] m3 = gaussian(rng, WIDTHS[2], WIDTHS[1], 1 / Math.sqrt(WIDTHS[1]));
        float[][][] acts = new float[POINTS][3][];
        for (int t = 0; t < POINTS; t++) {
            // "Training": every weight takes a small random step, so consecutive points are close.
            drift(rng, m1, 0.02);
            drift(rng, m2, 0.02);
            drift(rng, m3, 0.02);
            float[] a1 = new float[n * WIDTHS[0]];
            float[] a2 = new float[n * WIDTHS[1]];
            float[] a3 = new float[n * WIDTHS[2]];
            double[] h1 = new double[WIDTHS[0]];
            double[] h2 = new double[WIDTHS[1]];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < WIDTHS[0]; j++) {
                    h1[j] = Math.max(0, dot(m1[j], u[i]));
                    a1[i * WIDTHS[0] + j] = (float) h1[j];
                }
                for (int j = 0; j < WIDTHS[1]; j++) {
                    h2[j] = Math.max(0, dot(m2[j], h1));
                    a2[i * WIDTHS[1] + j] = (float) h2[j];
                }
                for (int j = 0; j < WIDTHS[2]; j++) {
                    a3[i * WIDTHS[2] + j] = (float) dot(m3[j], h2);
                }
            }
            acts[t] = new float[][] {a1, a2, a3};
        }
        return new Workload(acts, labels);
    }

    private static double[][] gaussian(Rng rng, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] r : m) {
            for (int j = 0; j < cols; j++) {
                r[j] = scale * rng.nextGaussian();
            }
        }
        return m;
    }

    private static void drift(Rng rng, double[][] m, double relative) {
        double scale = relative / Math.sqrt(m[0].length);
        for (double[] r : m) {
            for (int j = 0; j < r.length; j++) {
                r[j] += scale * rng.nextGaussian();
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    private static ProbeData point(Workload w, int t, int layer, int variable) {
        int d = WIDTHS[layer];
        float[] a = w.acts()[t][layer];
        int[] y = w.labels()[variable];
        LabelledFeatures fit = new LabelledFeatures(FloatTensor.matrix(FIT, d, Arrays.copyOfRange(a, 0, FIT * d)),
                Arrays.copyOfRange(y, 0, FIT));
        LabelledFeatures held = new LabelledFeatures(FloatTensor.matrix(HELD, d, Arrays.copyOfRange(a, FIT * d, a.length)),
                Arrays.copyOfRange(y, FIT, y.length));
        return new ProbeData(t, 2, fit, held);
    }

    /** Whole run through the probe API, one thread: returns seconds. */
    private static double run(Workload w, Map<String, ?> settings) {
        List<ProbeData> points = new ArrayList<>();
        long total = 0;
        for (int layer = 0; layer < WIDTHS.length; layer++) {
            for (int v = 0; v < VARIABLES; v++) {
                ProbeSeries s = TestData.series(settings, 2, 1000L * layer + v);
                for (int t = 0; t < POINTS; t++) {
                    ProbeData p = point(w, t, layer, v);
                    long t0 = System.nanoTime();
                    s.measure(p);
                    total += System.nanoTime() - t0;
                }
            }
        }
        return total * 1e-9;
    }

    /** Per-width fit statistics at the decoder level: µs per fit and L-BFGS iterations. */
    private static void linearDetail(Workload w, boolean warm, double tolerance, StringBuilder out) {
        for (int layer : new int[] {0, 2}) {
            int d = WIDTHS[layer];
            long fitNanos = 0;
            long prepNanos = 0;
            long evalNanos = 0;
            long iterations = 0;
            long evaluations = 0;
            int fits = 0;
            for (int v = 0; v < VARIABLES; v++) {
                LinearDecoder dec = new LinearDecoder(2, d, new LinearDecoder.Settings(1e-4, 500, tolerance, warm));
                for (int t = 0; t < POINTS; t++) {
                    ProbeData p = point(w, t, layer, v);
                    long t0 = System.nanoTime();
                    Standardizer s = Standardizer.fit(p.fit().features(), Folds.all(FIT));
                    DesignMatrix xf = s.transform(p.fit().features(), Folds.all(FIT));
                    DesignMatrix xs = s.transform(p.heldOut().features(), Folds.all(HELD));
                    LabelCounts counts = LabelCounts.of(p.fit().labels(), 2);
                    long t1 = System.nanoTime();
                    dec.fit(xf, p.fit().labels(), counts);
                    long t2 = System.nanoTime();
                    dec.evaluate(xs, p.heldOut().labels());
                    dec.evaluate(xf, p.fit().labels());
                    long t3 = System.nanoTime();
                    prepNanos += t1 - t0;
                    fitNanos += t2 - t1;
                    evalNanos += t3 - t2;
                    iterations += dec.lastOptimum().iterations();
                    evaluations += dec.lastOptimum().evaluations();
                    fits++;
                }
            }
            out.append(String.format(Locale.ROOT,
                    "  linear d=%3d %-4s tol %.0e: fit %8.0f µs (%5.1f iterations, %5.1f evaluations), standardise %5.0f µs, score %5.0f µs%n",
                    d, warm ? "warm" : "cold", tolerance, fitNanos / 1e3 / fits, (double) iterations / fits, (double) evaluations / fits,
                    prepNanos / 1e3 / fits, evalNanos / 1e3 / fits));
        }
    }

    /** A 10-class variable read from the first layer: the multinomial (L-BFGS) path. */
    private static void multinomialDetail(Workload w, boolean warm, StringBuilder out) {
        int d = WIDTHS[0];
        int[] y = new int[FIT];
        Rng rng = new Rng(5);
        for (int i = 0; i < FIT; i++) {
            // The three binary variables as one 8-class code, blurred into 10 classes by label noise.
            y[i] = w.labels()[0][i] * 4 + w.labels()[1][i] * 2 + w.labels()[2][i] + (rng.nextBoolean(0.2) ? 2 : 0);
        }
        LinearDecoder dec = new LinearDecoder(10, d, new LinearDecoder.Settings(1e-4, 500, 1e-6, warm));
        long nanos = 0;
        long iterations = 0;
        int fits = 0;
        for (int t = 0; t < POINTS; t += 3) {
            float[] a = w.acts()[t][0];
            FloatTensor fit = FloatTensor.matrix(FIT, d, Arrays.copyOfRange(a, 0, FIT * d));
            Standardizer s = Standardizer.fit(fit, Folds.all(FIT));
            DesignMatrix xf = s.transform(fit, Folds.all(FIT));
            long t0 = System.nanoTime();
            dec.fit(xf, y, LabelCounts.of(y, 10));
            nanos += System.nanoTime() - t0;
            iterations += dec.lastOptimum().iterations();
            fits++;
        }
        out.append(String.format(Locale.ROOT, "  linear d=%3d K=10 %-4s: fit %8.0f µs (%5.1f L-BFGS iterations)%n", d,
                warm ? "warm" : "cold", nanos / 1e3 / fits, (double) iterations / fits));
    }

    private static void mlpDetail(Workload w, StringBuilder out) {
        for (int layer : new int[] {0, 2}) {
            int d = WIDTHS[layer];
            int fits = 4;
            long nanos = 0;
            for (int t = 0; t < fits; t++) {
                ProbeData p = point(w, 10 * t, layer, 0);
                Standardizer s = Standardizer.fit(p.fit().features(), Folds.all(FIT));
                DesignMatrix xf = s.transform(p.fit().features(), Folds.all(FIT));
                MlpDecoder dec = new MlpDecoder(2, d, MlpDecoder.Settings.of(64, 300, 0.01, 1e-4, false, 1));
                long t0 = System.nanoTime();
                dec.fit(xf, p.fit().labels(), LabelCounts.of(p.fit().labels(), 2));
                nanos += System.nanoTime() - t0;
            }
            out.append(String.format(Locale.ROOT, "  mlp    d=%3d cold: fit %8.0f µs (64 hidden, 300 Adam steps)%n", d, nanos / 1e3 / fits));
        }
    }

    @Test
    void timeTheDefaultWorkload() {
        Workload w = workload(2024);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "workload: %d points × widths %s × %d variables = %d fits, fit n=%d, score n=%d, %s%n",
                POINTS, Arrays.toString(WIDTHS), VARIABLES, POINTS * WIDTHS.length * VARIABLES, FIT, HELD,
                System.getProperty("java.vm.name") + " " + Runtime.version()));
        run(w, Map.of()); // JIT warm-up
        run(w, Map.of("warmStart", "false"));
        for (int rep = 0; rep < 2; rep++) {
            out.append(String.format(Locale.ROOT, "whole run, linear, warm start: %.3f s; cold: %.3f s%n",
                    run(w, Map.of()), run(w, Map.of("warmStart", "false"))));
        }
        for (double tolerance : new double[] {1e-6, 1e-9}) {
            linearDetail(w, true, tolerance, out);
            linearDetail(w, false, tolerance, out);
        }
        multinomialDetail(w, true, out);
        multinomialDetail(w, false, out);
        mlpDetail(w, new StringBuilder()); // JIT warm-up
        mlpDetail(w, out);
        System.out.print(out);
    }
}
