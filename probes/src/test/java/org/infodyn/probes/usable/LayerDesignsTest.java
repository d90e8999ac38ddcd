package org.infodyn.probes.usable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.infodyn.api.config.Params;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.api.random.Rng;
import org.infodyn.probes.decoder.DesignMatrix;
import org.junit.jupiter.api.Test;

class LayerDesignsTest {

    private static FloatTensor gaussian(Rng rng, int n, int d) {
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return FloatTensor.matrix(n, d, v);
    }

    private static LayerDesigns.Designs designs(LayerDesigns cache, String layer, FloatTensor fit, FloatTensor held) {
        try (LayerDesigns.Lease lease = cache.acquire(layer, fit, held)) {
            return lease.designs();
        }
    }

    private static double[][] rows(DesignMatrix m) {
        double[][] r = new double[m.rows()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.row(i).clone();
        }
        return r;
    }

    @Test
    void aLayersPointIsStandardisedOnceAndRecomputedForNewTensors() {
        Rng rng = new Rng(1);
        LayerDesigns cache = new LayerDesigns(true);
        FloatTensor fit = gaussian(rng, 50, 4);
        FloatTensor held = gaussian(rng, 20, 4);
        LayerDesigns.Designs first = designs(cache, "hidden1", fit, held);
        assertThat(designs(cache, "hidden1", fit, held)).isSameAs(first);
        double[][] firstFit = rows(first.fit());
        double[][] firstScore = rows(first.score());

        LayerDesigns.Designs other = designs(cache, "hidden2", gaussian(rng, 50, 3), gaussian(rng, 20, 3));
        assertThat(other.fit().cols()).isEqualTo(3);
        assertThat(designs(cache, "hidden1", fit, held)).as("layers keep their own entries").isSameAs(first);

        // The next point: new instances (here with equal values) are a new entry, computed alike.
        FloatTensor nextFit = FloatTensor.matrix(50, 4, fit.data().clone());
        LayerDesigns.Designs next = designs(cache, "hidden1", nextFit, held);
        assertThat(next).isNotSameAs(first);
        assertThat(rows(next.fit())).isDeepEqualTo(firstFit);
        assertThat(rows(next.score())).isDeepEqualTo(firstScore);
    }

    @Test
    void aPointsStorageIsReusedOnlyOnceNoLeaseHoldsIt() {
        Rng rng = new Rng(3);
        LayerDesigns cache = new LayerDesigns(true);
        FloatTensor fit0 = gaussian(rng, 30, 5);
        FloatTensor held0 = gaussian(rng, 10, 5);
        LayerDesigns.Lease held = cache.acquire("hidden1", fit0, held0);
        DesignMatrix point0 = held.designs().fit();
        double[][] point0Rows = rows(point0);
        double[] column0 = point0.column(0).clone();

        // Point 1 while a (slow) series still reads point 0: fresh storage.
        LayerDesigns.Designs point1 = designs(cache, "hidden1", gaussian(rng, 30, 5), gaussian(rng, 10, 5));
        assertThat(point1.fit().row(0)).isNotSameAs(point0.row(0));
        assertThat(rows(point0)).as("a leased point is never overwritten").isDeepEqualTo(point0Rows);
        assertThat(point0.column(0)).containsExactly(column0);
        held.close();

        // Point 2 reuses point 1's storage (released, retired), with correct values.
        FloatTensor fit2 = gaussian(rng, 30, 5);
        FloatTensor held2 = gaussian(rng, 10, 5);
        double[] row0 = point1.fit().row(0);
        LayerDesigns.Designs point2 = designs(cache, "hidden1", fit2, held2);
        assertThat(point2.fit().row(0)).isSameAs(row0);
        LayerDesigns fresh = new LayerDesigns(true);
        LayerDesigns.Designs expected = designs(fresh, "hidden1", fit2, held2);
        assertThat(rows(point2.fit())).isDeepEqualTo(rows(expected.fit()));
        assertThat(rows(point2.score())).isDeepEqualTo(rows(expected.score()));
        for (int j = 0; j < 5; j++) {
            assertThat(point2.fit().column(j)).containsExactly(expected.fit().column(j));
        }
    }

    @Test
    void seriesSharingALayersDesignsMeasureExactlyWhatSeparateSeriesDo() {
        Rng rng = new Rng(2);
        int d = 40;
        double[] mixing = TestData.mixing(rng, d);
        int[] yFit = TestData.uniformLabels(rng, 600, 2);
        int[] yHeld = TestData.uniformLabels(rng, 300, 2);
        LabelledFeatures fit = TestData.layer(rng, yFit, d, mixing, 1.0);
        LabelledFeatures held = TestData.layer(rng, yHeld, d, mixing, 1.0);
        int[] otherFit = TestData.uniformLabels(rng, 600, 2);
        int[] otherHeld = TestData.uniformLabels(rng, 300, 2);
        ProbeData first = new ProbeData(0, 2, fit, held);
        ProbeData second = new ProbeData(0, 2, new LabelledFeatures(fit.features(), otherFit),
                new LabelledFeatures(held.features(), otherHeld));

        ConfiguredProbe shared = configure();
        List<Measurement> a = shared.open("hidden1", "y", 2, 1).measure(first);
        List<Measurement> b = shared.open("hidden1", "z", 2, 2).measure(second);

        assertThat(a).isEqualTo(configure().open("hidden1", "y", 2, 1).measure(first));
        assertThat(b).isEqualTo(configure().open("hidden1", "z", 2, 2).measure(second));
    }

    @Test
    void seriesRunningConcurrentlyMeasureWhatTheyMeasureOneAtATime() throws Exception {
        Rng rng = new Rng(4);
        int d = 40;
        int points = 6;
        String[] layers = {"hidden1", "hidden2"};
        String[] variables = {"a", "b", "c"};
        // Per point and layer one pair of tensors, shared by the variables, as the runner does.
        List<List<ProbeData>> data = new ArrayList<>(); // [layer × variable][point]
        int[][] yFit = new int[variables.length][];
        int[][] yHeld = new int[variables.length][];
        for (int v = 0; v < variables.length; v++) {
            yFit[v] = TestData.uniformLabels(rng, 500, 2);
            yHeld[v] = TestData.uniformLabels(rng, 200, 2);
        }
        for (int l = 0; l < layers.length; l++) {
            for (int v = 0; v < variables.length; v++) {
                data.add(new ArrayList<>());
            }
            double[] mixing = TestData.mixing(rng, d);
            for (int t = 0; t < points; t++) {
                LabelledFeatures fit = TestData.layer(rng, yFit[0], d, mixing, 1.0);
                LabelledFeatures held = TestData.layer(rng, yHeld[0], d, mixing, 1.0);
                for (int v = 0; v < variables.length; v++) {
                    data.get(l * variables.length + v).add(new ProbeData(t, 2, new LabelledFeatures(fit.features(), yFit[v]),
                            new LabelledFeatures(held.features(), yHeld[v])));
                }
            }
        }
        List<List<List<Measurement>>> sequential = measureAll(data, layers, variables, 1);
        for (int rep = 0; rep < 3; rep++) {
            assertThat(measureAll(data, layers, variables, 4)).isEqualTo(sequential);
        }
    }

    /** Each series measures its points in order on a pool of {@code threads}, series concurrently. */
    private static List<List<List<Measurement>>> measureAll(List<List<ProbeData>> data, String[] layers,
            String[] variables, int threads) throws Exception {
        ConfiguredProbe probe = configure();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<List<Measurement>>>> futures = new ArrayList<>();
            for (int s = 0; s < data.size(); s++) {
                ProbeSeries series = probe.open(layers[s / variables.length],
                        variables[s % variables.length], 2, s);
                List<ProbeData> points = data.get(s);
                futures.add(pool.submit(() -> {
                    List<List<Measurement>> out = new ArrayList<>();
                    for (ProbeData p : points) {
                        out.add(series.measure(p));
                    }
                    return out;
                }));
            }
            List<List<List<Measurement>>> results = new ArrayList<>();
            for (Future<List<List<Measurement>>> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }

    private static ConfiguredProbe configure() {
        UsableInformationProbe probe = new UsableInformationProbe();
        return probe.configure(Params.bind("probes[0]", Map.of(), probe.parameters()));
    }
}
