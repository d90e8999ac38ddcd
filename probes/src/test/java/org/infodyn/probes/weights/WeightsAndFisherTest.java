package org.infodyn.probes.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.Model;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.probe.LiveNetwork;
import org.infodyn.api.probe.NetworkFacts;
import org.infodyn.api.random.Rng;
import org.infodyn.testkit.ReferenceBackend;
import org.junit.jupiter.api.Test;

/** The weight probes against values computed by hand. */
class WeightsAndFisherTest {

    /** A reference-backend network, paused, with the given probe inputs. */
    private static LiveNetwork live(Model model, Parameters initial, FloatTensor probeInputs) {
        return LiveNetwork.of(model, initial, probeInputs.rows(), probeInputs::gatherRows);
    }

    private static FloatTensor gaussian(long seed, int n, int d) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return FloatTensor.matrix(n, d, x);
    }

    private static Parameters filled(ModelSpec spec, float value) {
        Map<String, FloatTensor> values = new LinkedHashMap<>();
        spec.parameters().forEach(p -> values.put(p.name(), new FloatTensor(p.shape(), filledArray(p.size(), value))));
        return new Parameters(values);
    }

    private static float[] filledArray(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void weightNormsAndDistancesAreTheEuclideanOnesPerLayer() {
        ModelSpec spec = new ModelSpec("m", new int[] {3}, List.of(new Dense("d1", 2), new Activation("h1", Activation.Function.RELU),
                new Dense("output", 2)));
        Parameters start = filled(spec, 1f);
        Parameters now = filled(spec, 1f).with("d1.weight", new FloatTensor(new int[] {2, 3}, new float[] {1, 1, 1, 1, 1, 4}));
        try (Model m = new ReferenceBackend().build(spec, now, BuildOptions.cpu())) {
            NetworkFacts f = WeightsProbe.inspect(live(m, start, gaussian(1, 4, 3)), 10, 0);
            // d1: 6 weights and 2 biases, all 1 but one weight 4 → ‖θ‖² = 7 + 16, ‖θ − θ₀‖ = 3, ‖θ₀‖ = √8
            assertThat(f.get("d1/norm")).isCloseTo(Math.sqrt(23), within(1e-12));
            assertThat(f.get("d1/distance_from_init")).isCloseTo(3, within(1e-12));
            assertThat(f.get("d1/relative_distance")).isCloseTo(3 / Math.sqrt(8), within(1e-12));
            assertThat(f.get("output/norm")).isCloseTo(Math.sqrt(6), within(1e-12));
            assertThat(f.get("output/distance_from_init")).isZero();
            assertThat(f.values()).doesNotContainKey("h1/norm");
        }
    }

    @Test
    void theFisherTraceOfAnUndecidedLogisticRegressionIsExact() {
        // zero weights: p = (½, ½) for every input, so whichever label is drawn the squared score is
        // ‖e_y − p‖² (‖x‖² + 1) = ½ (‖x‖² + 1): the estimate has no sampling noise at batch 1
        ModelSpec spec = new ModelSpec("logistic", new int[] {3}, List.of(new Dense("output", 2)));
        FloatTensor x = gaussian(2, 50, 3);
        double expected = 0;
        for (int i = 0; i < 50; i++) {
            double sq = 0;
            for (int j = 0; j < 3; j++) {
                sq += x.data()[i * 3 + j] * x.data()[i * 3 + j];
            }
            expected += 0.5 * (sq + 1) / 50;
        }
        try (Model m = new ReferenceBackend().build(spec, filled(spec, 0f), BuildOptions.cpu())) {
            NetworkFacts f = FisherProbe.inspect(live(m, filled(spec, 0f), x), 50, 1, 9);
            assertThat(f.get("output/trace")).isCloseTo(expected, within(1e-6 * expected));
            assertThat(f.get("output/trace_total")).isEqualTo(f.get("output/trace"));
        }
    }

    @Test
    void theFisherTraceOfALogisticRegressionMatchesItsClosedForm() {
        // tr F = E_x (‖x‖² + 1)(1 − Σ_c p_c(x)²) for softmax regression (the score of W is (e_y − p) xᵀ, of b is e_y − p)
        ModelSpec spec = new ModelSpec("logistic", new int[] {3}, List.of(new Dense("output", 3)));
        Parameters p = Initializer.initialize(spec, 4);
        int n = 4000;
        FloatTensor x = gaussian(3, n, 3);
        try (Model m = new ReferenceBackend().build(spec, p, BuildOptions.cpu())) {
            float[] logits = m.activations(x, List.of("output")).get("output").data();
            double expected = 0;
            for (int i = 0; i < n; i++) {
                double max = Math.max(logits[3 * i], Math.max(logits[3 * i + 1], logits[3 * i + 2]));
                double z = 0;
                double[] e = new double[3];
                for (int c = 0; c < 3; c++) {
                    e[c] = Math.exp(logits[3 * i + c] - max);
                    z += e[c];
                }
                double sumSq = 0;
                double xx = 0;
                for (int c = 0; c < 3; c++) {
                    sumSq += (e[c] / z) * (e[c] / z);
                    xx += x.data()[3 * i + c] * x.data()[3 * i + c];
                }
                expected += (xx + 1) * (1 - sumSq) / n;
            }
            // one drawn label per input: the estimate's relative standard error here is about 1 %
            double perSample = FisherProbe.inspect(live(m, p, x), n, 1, 11).get("output/trace");
            assertThat(perSample).isCloseTo(expected, within(0.04 * expected));
            // small batches: unbiased too (cross terms vanish in expectation), with more variance
            double batched = FisherProbe.inspect(live(m, p, x), n, 8, 11).get("output/trace");
            assertThat(batched).isCloseTo(expected, within(0.12 * expected));
            assertThat(m.parameters()).isEqualTo(p);
        }
    }

    @Test
    void theTotalIsTheSumOfTheLayersAndTheSameSeedGivesTheSameTrace() {
        ModelSpec spec = new ModelSpec("mlp", new int[] {4}, List.of(new Dense("d1", 5), new Activation("h1", Activation.Function.TANH),
                new Dense("output", 3)));
        Parameters p = Initializer.initialize(spec, 6);
        try (Model m = new ReferenceBackend().build(spec, p, BuildOptions.cpu())) {
            LiveNetwork net = live(m, p, gaussian(7, 30, 4));
            NetworkFacts f = FisherProbe.inspect(net, 20, 1, 3);
            assertThat(f.get("d1/trace") + f.get("output/trace")).isCloseTo(f.get("d1/trace_total"), within(1e-9));
            assertThat(f.get("output/trace_total")).isEqualTo(f.get("d1/trace_total"));
            assertThat(FisherProbe.inspect(net, 20, 1, 3)).isEqualTo(f);
            assertThat(FisherProbe.inspect(net, 20, 1, 4)).isNotEqualTo(f);
        }
    }

    @Test
    void labelsAreDrawnFromTheSoftmax() {
        Rng rng = new Rng(8);
        float[] logits = {0f, (float) Math.log(3)}; // p = (¼, ¾)
        int ones = 0;
        for (int i = 0; i < 40_000; i++) {
            ones += FisherProbe.sample(logits, 0, 2, rng);
        }
        assertThat(ones / 40_000.0).isCloseTo(0.75, within(0.01));
    }
}
