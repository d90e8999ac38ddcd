package org.infodyn.probes.usable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.infodyn.probes.usable.TestData.bits;
import static org.infodyn.probes.usable.TestData.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.api.random.Rng;
import org.junit.jupiter.api.Test;

/** What a user relies on across probe points: warm starts, determinism, splits, robustness. */
class SeriesBehaviourTest {

    /** Five probe points of a 30-unit layer whose code for y sharpens as "training" goes on. */
    private static List<ProbeData> trajectory(long seed) {
        return trajectory(seed, new double[] {3.0, 1.5, 1.0, 0.75, 0.6});
    }

    /** Probe points of a 30-unit layer with the given noise at each point (lower: sharper code). */
    private static List<ProbeData> trajectory(long seed, double[] noise) {
        Rng rng = new Rng(seed);
        int d = 30;
        double[] mixing = TestData.mixing(rng, d);
        int[] yFit = TestData.uniformLabels(rng, 2000, 2);
        int[] yHeld = TestData.uniformLabels(rng, 1000, 2);
        List<ProbeData> points = new ArrayList<>();
        for (int t = 0; t < noise.length; t++) {
            for (int j = 0; j < d; j++) {
                mixing[j * 4 + 1] += 0.1 * rng.nextGaussian(); // the nuisance directions drift
            }
            points.add(new ProbeData(t * 100L, 2, TestData.layer(rng, yFit, d, mixing, noise[t]),
                    TestData.layer(rng, yHeld, d, mixing, noise[t])));
        }
        return points;
    }

    private static List<List<Measurement>> run(Map<String, ?> settings, List<ProbeData> points, long seed) {
        ProbeSeries s = TestData.series(settings, points.get(0).classes(), seed);
        List<List<Measurement>> out = new ArrayList<>();
        for (ProbeData p : points) {
            out.add(s.measure(p));
        }
        return out;
    }

    @Test
    void metricsComeInTheDocumentedOrder() {
        List<Measurement> ms = run(Map.of(), trajectory(1).subList(0, 1), 1).get(0);
        assertThat(ms).extracting(Measurement::metric).containsExactlyElementsOf(UsableInformationProbe.METRIC_NAMES);
    }

    @Test
    void warmStartGivesTheSameBitsAsColdFits() {
        List<ProbeData> points = trajectory(2, new double[] {6, 5, 4, 3.5, 3});
        List<List<Measurement>> warm = run(Map.of("warmStart", "true"), points, 1);
        List<List<Measurement>> cold = run(Map.of("warmStart", "false"), points, 1);
        for (int t = 0; t < points.size(); t++) {
            assertThat(bits(warm.get(t))).as("point %d", t).isCloseTo(bits(cold.get(t)), within(1e-6));
        }
        assertThat(bits(warm.get(4))).isGreaterThan(bits(warm.get(0)) + 0.2); // the trajectory is not trivial
    }

    @Test
    void nearlySeparablePointsAgreeWarmAndColdAtTheDefaultTolerance() {
        // Fit CE ≈ 0.001 nats: the objective is flat, so a loose gradient tolerance (1e-6) leaves
        // ~1e-5 bits of slack between warm and cold fits; the default (1e-9) removes it.
        List<ProbeData> points = trajectory(2);
        List<List<Measurement>> warm = run(Map.of("warmStart", "true"), points, 1);
        List<List<Measurement>> cold = run(Map.of("warmStart", "false"), points, 1);
        List<List<Measurement>> loose = run(Map.of("warmStart", "true", "tolerance", 1e-6), points, 1);
        for (int t = 0; t < points.size(); t++) {
            assertThat(bits(warm.get(t))).as("point %d", t).isCloseTo(bits(cold.get(t)), within(1e-6));
            assertThat(bits(loose.get(t))).as("point %d", t).isCloseTo(bits(cold.get(t)), within(1e-4));
        }
        assertThat(metric(warm.get(4), UsableInformationProbe.DECODER_FIT_CE_BITS)).isLessThan(0.01);
    }

    @Test
    void sameInputsAndSeedGiveIdenticalMetrics() {
        List<ProbeData> points = trajectory(3).subList(0, 2);
        for (Map<String, ?> settings : List.<Map<String, ?>>of(Map.of(), Map.of("split", "kfold"),
                Map.of("decoder", "mlp", "steps", 30L, "hidden", 8L))) {
            assertThat(run(settings, points, 5)).as("%s", settings).isEqualTo(run(settings, points, 5));
        }
    }

    @Test
    void theOrderOfSamplesDoesNotMatter() {
        ProbeData p = trajectory(4).get(2);
        Rng rng = new Rng(9);
        ProbeData shuffled = new ProbeData(p.step(), 2, shuffle(p.fit(), rng), shuffle(p.heldOut(), rng));
        double a = bits(run(Map.of(), List.of(p), 1).get(0));
        double b = bits(run(Map.of(), List.of(shuffled), 1).get(0));
        assertThat(b).isCloseTo(a, within(1e-6));
    }

    private static LabelledFeatures shuffle(LabelledFeatures f, Rng rng) {
        int[] perm = rng.permutation(f.size());
        FloatTensor x = f.features().gatherRows(perm);
        int[] y = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            y[i] = f.labels()[perm[i]];
        }
        return new LabelledFeatures(x, y);
    }

    @Test
    void probeSplitModesReadAOneHotCodeFully() {
        Rng rng = new Rng(5);
        for (int k : new int[] {2, 10}) {
            int[] y = TestData.balancedLabels(rng, 2000, k);
            LabelledFeatures held = TestData.oneHot(y, k);
            LabelledFeatures noFit = new LabelledFeatures(FloatTensor.matrix(0, k, new float[0]), new int[0]);
            for (Map<String, ?> settings : List.<Map<String, ?>>of(Map.of("split", "probe-halves"), Map.of("split", "kfold"),
                    Map.of("split", "kfold", "folds", 3L))) {
                List<Measurement> ms = TestData.series(settings, k, 4).measure(TestData.point(k, noFit, held));
                assertThat(bits(ms)).as("K=%d %s", k, settings).isCloseTo(TestData.log2(k), within(0.05));
            }
        }
    }

    @Test
    void kfoldScoresEverySampleOnce() {
        // Cross-fitted null CE pools every sample: with one sample of class 1 among n, each fold's
        // null model differs, yet the pooled CE covers all n samples exactly once.
        int n = 10;
        int[] y = new int[n];
        y[3] = 1;
        LabelledFeatures held = TestData.oneHot(y, 2);
        LabelledFeatures noFit = new LabelledFeatures(FloatTensor.matrix(0, 2, new float[0]), new int[0]);
        List<Measurement> ms = TestData.series(Map.of("split", "kfold", "folds", 5L), 2, 1).measure(TestData.point(2, noFit, held));
        // Folds of 2: the fold holding sample 3 fits on 8 zeros (p(1) = 1/10), the others on 7 zeros + 1 one (p = 2/10, p(0) = 8/10).
        double expected = (-TestData.log2(1.0 / 10) - TestData.log2(9.0 / 10) - 8 * TestData.log2(8.0 / 10)) / n;
        assertThat(metric(ms, UsableInformationProbe.NULL_CE_BITS)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void aClassAbsentFromTheFitSamplesCostsTheDecoderWhatItCostsTheNullModel() {
        Rng rng = new Rng(6);
        int k = 3;
        int[] yFit = TestData.uniformLabels(rng, 1000, 2); // only classes 0 and 1
        int[] yHeld = TestData.uniformLabels(rng, 600, k);
        for (Map<String, ?> settings : List.<Map<String, ?>>of(Map.of(), Map.of("decoder", "mlp", "steps", 200L))) {
            List<Measurement> ms = TestData.series(settings, k, 1)
                    .measure(TestData.point(k, TestData.oneHot(yFit, k), TestData.oneHot(yHeld, k)));
            assertThat(ms).filteredOn(m -> !(settings.containsKey("decoder") && m.metric().equals(UsableInformationProbe.DECODER_CONVERGED)))
                    .allSatisfy(m -> assertThat(Double.isFinite(m.value())).as("%s %s", settings, m).isTrue()); // mlp: NaN
            // Classes 0/1 are read (≈ 1 bit for those two thirds); class 2 is unknown to both models.
            assertThat(bits(ms)).as("%s", settings).isCloseTo(2.0 / 3, within(0.05));

            int[] oneClass = new int[500];
            List<Measurement> single = TestData.series(settings, k, 1)
                    .measure(TestData.point(k, TestData.oneHot(oneClass, k), TestData.oneHot(yHeld, k)));
            assertThat(bits(single)).as("%s", settings).isCloseTo(0, within(1e-9));
        }
    }

    @Test
    void anMlpWarmStartContinuesFromThePreviousPoint() {
        List<ProbeData> points = trajectory(11).subList(0, 2);
        Map<String, Object> settings = Map.of("decoder", "mlp", "steps", 20L, "hidden", 16L);
        List<List<Measurement>> cold = run(settings, points, 1);
        List<List<Measurement>> warm = run(Map.of("decoder", "mlp", "steps", 20L, "hidden", 16L, "warmStart", "true"), points, 1);
        assertThat(warm.get(0)).isEqualTo(cold.get(0)); // the same seeded start at the first point
        // 20 more steps from the first point's network: a different (better trained) estimator.
        assertThat(metric(warm.get(1), UsableInformationProbe.DECODER_FIT_CE_BITS))
                .isLessThan(metric(cold.get(1), UsableInformationProbe.DECODER_FIT_CE_BITS));
    }

    @Test
    void nonFiniteFeaturesGiveNaNMetricsAndDoNotSpoilLaterPoints() {
        List<ProbeData> points = trajectory(7);
        ProbeData clean = points.get(3);
        float[] poisoned = clean.fit().features().data().clone();
        poisoned[17] = Float.NaN;
        ProbeData bad = new ProbeData(1, 2, new LabelledFeatures(
                FloatTensor.matrix(clean.fit().size(), clean.fit().dimension(), poisoned), clean.fit().labels()), clean.heldOut());
        float[] infinite = clean.heldOut().features().data().clone();
        infinite[5] = Float.POSITIVE_INFINITY;
        ProbeData alsoBad = new ProbeData(2, 2, clean.fit(), new LabelledFeatures(
                FloatTensor.matrix(clean.heldOut().size(), clean.heldOut().dimension(), infinite), clean.heldOut().labels()));

        ProbeSeries s = TestData.series(Map.of(), 2, 1);
        for (ProbeData p : List.of(bad, alsoBad)) {
            List<Measurement> ms = s.measure(p);
            for (String name : List.of(UsableInformationProbe.BITS, UsableInformationProbe.DECODER_EVAL_CE_BITS,
                    UsableInformationProbe.DECODER_FIT_CE_BITS, UsableInformationProbe.DECODER_ACCURACY)) {
                assertThat(metric(ms, name)).as(name).isNaN();
            }
            assertThat(metric(ms, UsableInformationProbe.NULL_CE_BITS)).isBetween(0.9, 1.0);
            assertThat(metric(ms, UsableInformationProbe.LOG2K)).isEqualTo(1.0);
        }
        double after = bits(s.measure(clean));
        assertThat(after).isCloseTo(bits(TestData.series(Map.of(), 2, 1).measure(clean)), within(1e-6));
    }

    @Test
    void degenerateInputsDoNotThrow() {
        Rng rng = new Rng(8);
        int[] yFit = TestData.uniformLabels(rng, 300, 2);
        int[] yHeld = TestData.uniformLabels(rng, 300, 2);
        // d = 1, constant feature (a dead ReLU unit): no information, no crash.
        LabelledFeatures deadFit = TestData.features(new float[300], 1, yFit);
        LabelledFeatures deadHeld = TestData.features(new float[300], 1, yHeld);
        List<Measurement> dead = TestData.series(Map.of(), 2, 1).measure(TestData.point(2, deadFit, deadHeld));
        assertThat(bits(dead)).isCloseTo(0, within(0.01));
        // Perfectly separable without any penalty stays finite within the iteration budget.
        List<Measurement> sep = TestData.series(Map.of("l2", 0.0), 2, 1)
                .measure(TestData.point(2, TestData.oneHot(yFit, 2), TestData.oneHot(yHeld, 2)));
        assertThat(bits(sep)).isCloseTo(1, within(0.02));
        // Standardisation off works too.
        List<Measurement> raw = TestData.series(Map.of("standardize", false), 2, 1)
                .measure(TestData.point(2, TestData.oneHot(yFit, 2), TestData.oneHot(yHeld, 2)));
        assertThat(bits(raw)).isCloseTo(1, within(0.05));
    }

    @Test
    void manyClassesWork() {
        Rng rng = new Rng(10);
        int k = 100;
        int[] yFit = TestData.balancedLabels(rng, 3000, k);
        int[] yHeld = TestData.balancedLabels(rng, 1000, k);
        List<Measurement> ms = TestData.series(Map.of(), k, 1)
                .measure(TestData.point(k, TestData.oneHot(yFit, k), TestData.oneHot(yHeld, k)));
        assertThat(bits(ms)).isCloseTo(TestData.log2(k), within(0.1));
    }
}
