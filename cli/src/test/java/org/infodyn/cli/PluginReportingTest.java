package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.Probe;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.engine.output.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a plugin author sees after a run: the summary shows each probe's headline metrics (not
 * only usable information), and a setting infodyn had to change is said once and recorded.
 */
class PluginReportingTest {
    @TempDir
    Path dir;

    /** A third party's probe with two metrics, one of them headline. */
    public static final class MeanActivation implements Probe {
        @Override
        public String id() {
            return "mean-activation";
        }

        @Override
        public String description() {
            return "mean and spread of a layer's held-out activations";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public List<String> metrics() {
            return List.of("mean: mean activation over samples and units", "spread: largest minus smallest activation");
        }

        @Override
        public List<String> headlineMetrics() {
            return List.of("mean");
        }

        @Override
        public ConfiguredProbe configure(Params params) {
            return new ConfiguredProbe() {
                @Override
                public Params params() {
                    return params;
                }

                @Override
                public int fitSamples() {
                    return 0;
                }

                @Override
                public ProbeSeries open(String layer, String variableName, int classes, long seed) {
                    return data -> {
                        LabelledFeatures held = data.heldOut();
                        double sum = 0;
                        double min = Double.POSITIVE_INFINITY;
                        double max = Double.NEGATIVE_INFINITY;
                        for (float v : held.features().data()) {
                            sum += v;
                            min = Math.min(min, v);
                            max = Math.max(max, v);
                        }
                        return List.of(new Measurement("mean", sum / held.features().data().length), new Measurement("spread", max - min));
                    };
                }
            };
        }
    }

    @Test
    void theSummaryShowsHeadlineMetricsAndAnAdjustmentIsSaidOnceAndRecorded() throws IOException {
        Path experiment = Files.writeString(dir.resolve("headline.yaml"), """
                name: headline
                seeds: [1, 2]
                task: {id: checkerboard, samples: 800, probeFraction: 0.25}
                model: {id: mlp, hidden: [8, 2]}
                train:
                  phases:
                    - {epochs: 1, lr: 0.05, batch: 32}
                probes:
                  - {id: usable-information, layers: [hidden1], variables: [direction], fitSamples: 5000, maxIterations: 50}
                  - {id: mean-activation, layers: [hidden1], variables: [direction]}
                schedule: {steps: [0, 10]}
                """);
        CliHarness.Result r;
        try (ContextPlugin plugin = ContextPlugin.install(Probe.class, MeanActivation.class)) {
            r = CliHarness.run("run", experiment.toString(), "--backend", "tf", "--out", dir.resolve("out").toString());
        }
        assertThat(r.exitCode()).as(r.toString()).isZero();

        String note = "infodyn: note: probes[0].fitSamples: 5000 asked, but the train split has 600";
        assertThat(r.err()).as(r.toString()).contains(note);
        assertThat(r.err().split(Pattern.quote(note), -1)).as("said once for two seeds").hasSize(2);
        for (String seed : List.of("1", "2")) {
            Map<String, Object> manifest = Json.readObject(dir.resolve("out/headline-tf-seed" + seed + "/manifest.json"));
            assertThat(String.valueOf(manifest.get("adjustments"))).contains("probes[0].fitSamples: 5000 asked");
        }

        assertThat(r.out()).contains("usable-information hidden1 direction ", "mean-activation hidden1 direction mean ")
                .doesNotContain("spread").doesNotContain("null_ce_bits");
    }
}
