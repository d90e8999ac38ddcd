package org.infodyn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.LiveNetwork;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.NetworkFacts;
import org.infodyn.api.probe.NetworkInspection;
import org.infodyn.api.probe.Probe;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.random.Rng;
import org.assertj.core.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Probe} must meet, as an abstract JUnit 5 class: subclass it and supply
 * {@link #probe()}. It checks what a measuring instrument must guarantee whatever it measures:
 * declared metrics, determinism, invariance to the order of samples, independent series, and — for
 * a probe that reports information in bits — about 0 bits on a representation independent of
 * the variable and about log2 K on a one-hot copy of it.
 */
public abstract class ProbeCompatibilityKit {

    /** The probe under test. */
    protected abstract Probe probe();

    /** Settings for the probe block (default: its defaults). */
    protected Map<String, Object> parameters() {
        return Map.of();
    }

    /** The metric holding an amount of information in bits, if the probe reports one (default: {@code bits} if declared). */
    protected Optional<String> informationMetric() {
        return metricNames().contains("bits") ? Optional.of("bits") : Optional.empty();
    }

    /**
     * Absolute tolerance, in bits, of the information checks at n = 2,000. A decoder that
     * over-fits reads negative information from an independent representation; widen this for
     * such a decoder, and say why.
     */
    protected double informationTolerance() {
        return 0.05;
    }

    /**
     * How much a value may change when the samples are presented in another order: float
     * rounding of sums only. 1e-6 suits fits to convergence; an iterative float32 fit with a
     * fixed budget may need more.
     */
    protected double orderTolerance() {
        return 1e-6;
    }

    /**
     * Whether the implementation is a plugin that infodyn should find (default: true). A test
     * double or an oracle that is deliberately not registered returns false, and the
     * registration check is skipped.
     */
    protected boolean registeredAsPlugin() {
        return true;
    }

    /**
     * The implementation is registered both ways: a {@code META-INF/services/org.infodyn.api.probe.Probe} line (the
     * class path, which {@code ./infodyn} uses) and, when its jar has a {@code module-info}, a
     * {@code provides} clause (the module path). A plugin registered one way only passes its own
     * tests and is then invisible to one of them; the message names the missing line.
     */
    @Test
    void isRegisteredBothWays() {
        Assumptions.assumeThat(registeredAsPlugin()).as("registeredAsPlugin() says this implementation is not a plugin").isTrue();
        Registration.assertRegistered(Probe.class, probe().getClass());
    }

    private ConfiguredProbe configured() {
        return probe().configure(Params.bind("probes[0]", parameters(), probe().parameters()));
    }

    private List<String> metricNames() {
        return probe().metricNames();
    }

    /** Gaussian features; labels from {@code labelOf} of the features, or random when it is null. */
    private static LabelledFeatures data(long seed, int n, int d, int k, boolean dependent) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(k);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) rng.nextGaussian();
            }
            if (dependent) {
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = 0;
                }
                x[i * d + y[i] % d] = 1; // a one-hot copy of the label (d ≥ k)
            }
        }
        return new LabelledFeatures(FloatTensor.matrix(n, d, x), y);
    }

    private static ProbeData point(long seed, int k, boolean dependent, int d) {
        return new ProbeData(0, k, data(seed, 2000, d, k, dependent), data(seed + 1, 1000, d, k, dependent));
    }

    private static Map<String, Double> asMap(List<Measurement> ms) {
        Map<String, Double> m = new HashMap<>();
        ms.forEach(x -> m.put(x.metric(), x.value()));
        return m;
    }

    private Map<String, Double> measure(ProbeData data, long seed) {
        return asMap(configured().open("layer", "variable", data.classes(), seed).measure(data));
    }

    @Test
    void declaresItsMetricsAndWritesThem() {
        Probe p = probe();
        assertThat(p.id()).matches("[a-z0-9][a-z0-9-]*");
        assertThat(p.description()).isNotBlank();
        assertThat(p.metrics()).isNotEmpty();
        assertThat(p.metrics()).as("each metric line reads 'name: description with its unit'")
                .allSatisfy(line -> assertThat(line).matches("[a-z0-9_]+: .+"));
        assertThat(metricNames()).as("headline metrics are declared metrics").containsAll(p.headlineMetrics());
        assertThat(configured().fitSamples()).isNotNegative();
        Map<String, Double> m = measure(point(1, 3, false, 4), 1);
        assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(metricNames());
    }

    @Test
    void theSameInputsAndSeedGiveTheSameValues() {
        ProbeData d = point(2, 2, false, 5);
        assertThat(measure(d, 9)).isEqualTo(measure(d, 9));
    }

    @Test
    void theOrderOfSamplesDoesNotMatter() {
        ProbeData d = point(3, 3, false, 4);
        ProbeData shuffled = new ProbeData(0, 3, shuffle(d.fit(), 11), shuffle(d.heldOut(), 12));
        Map<String, Double> a = measure(d, 1);
        Map<String, Double> b = measure(shuffled, 1);
        a.forEach((k, v) -> {
            if (Double.isNaN(v)) { // a metric that does not apply (NaN) must not apply either way
                assertThat(b.get(k)).as(k).isNaN();
            } else {
                assertThat(b.get(k)).as(k).isCloseTo(v, within(orderTolerance() * (1 + Math.abs(v))));
            }
        });
    }

    private static LabelledFeatures shuffle(LabelledFeatures f, long seed) {
        int[] perm = new Rng(seed).permutation(f.size());
        return new LabelledFeatures(f.features().gatherRows(perm), Arrays.stream(perm).map(i -> f.labels()[i]).toArray());
    }

    @Test
    void anIndependentRepresentationCarriesAboutNothing() {
        Optional<String> metric = informationMetric();
        org.assertj.core.api.Assumptions.assumeThat(metric).as("the probe reports information in bits").isPresent();
        assertThat(measure(point(4, 2, false, 5), 1).get(metric.get())).isCloseTo(0, within(informationTolerance()));
    }

    @Test
    void aOneHotCopyCarriesLog2KBits() {
        Optional<String> metric = informationMetric();
        org.assertj.core.api.Assumptions.assumeThat(metric).as("the probe reports information in bits").isPresent();
        for (int k : new int[] {2, 4}) {
            assertThat(measure(point(5, k, true, k), 1).get(metric.get())).as("K=%d", k)
                    .isCloseTo(Math.log(k) / Math.log(2), within(informationTolerance()));
        }
    }

    @Test
    void seriesAreIndependentAndMayRunConcurrently() throws Exception {
        ProbeData a = point(6, 2, false, 4);
        ProbeData b = point(7, 2, true, 2);
        Map<String, Double> ra = measure(a, 1);
        Map<String, Double> rb = measure(b, 1);
        ConfiguredProbe c = configured();
        var fa = CompletableFuture.supplyAsync(() -> asMap(c.open("l", "a", 2, 1).measure(a)));
        var fb = CompletableFuture.supplyAsync(() -> asMap(c.open("l", "b", 2, 1).measure(b)));
        assertThat(fa.get()).isEqualTo(ra);
        assertThat(fb.get()).isEqualTo(rb);
    }

    /**
     * A probe that inspects the live network ({@link ConfiguredProbe#inspection()}) does so
     * deterministically and without changing it, and its series turn what it found into finite
     * values for every layer with parameters: checked on a small MLP of the reference backend,
     * once at its initialisation and once after a few SGD steps.
     */
    @Test
    void inspectsALiveNetworkDeterministicallyWithoutChangingIt() {
        ConfiguredProbe c = configured();
        Optional<NetworkInspection> inspection = c.inspection();
        org.assertj.core.api.Assumptions.assumeThat(inspection).as("the probe inspects the network").isPresent();
        ModelSpec spec = BackendCompatibilityKit.mlp(new int[] {5}, 6, 4);
        Parameters initial = Initializer.initialize(spec, 3);
        try (Model model = new ReferenceBackend().build(spec, initial, BuildOptions.cpu())) {
            FloatTensor probeInputs = BackendCompatibilityKit.inputs(8, 40, 5);
            LiveNetwork live = LiveNetwork.of(model, initial, probeInputs.rows(), probeInputs::gatherRows);
            for (int s = 0; s <= 3; s++) {
                if (s > 0) {
                    model.step(BackendCompatibilityKit.inputs(20 + s, 16, 5), BackendCompatibilityKit.labels(30 + s, 16, 2),
                            new SgdSettings(0.1, 0, 0));
                }
                if (s != 0 && s != 3) {
                    continue;
                }
                int step = s;
                Parameters before = model.parameters();
                NetworkFacts first = inspection.get().inspect(live, step, 77);
                assertThat(inspection.get().inspect(live, step, 77)).as("the same network and seed").isEqualTo(first);
                assertThat(model.parameters()).as("the network after an inspection").isEqualTo(before);
                for (String layer : List.of("dense1", "dense2", "output")) {
                    LabelledFeatures none = new LabelledFeatures(FloatTensor.matrix(0, 0, new float[0]), new int[0]);
                    ProbeData d = new ProbeData(step, 1, none, none, Map.of(), first);
                    Map<String, Double> m = asMap(c.open(layer, "", 1, 1).measure(d));
                    assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(metricNames());
                    m.forEach((k, v) -> assertThat(v).as("%s of %s at step %d (NaN only where a metric does not apply)", k, layer, step)
                            .satisfiesAnyOf(x -> assertThat(x).isFinite(), x -> assertThat(k).contains("relative")));
                }
            }
        }
    }
}
