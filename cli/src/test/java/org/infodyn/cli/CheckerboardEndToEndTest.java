package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.infodyn.engine.output.Json;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job, shortened, through the command line's entry point on DJL: the network learns the
 * direction, the last hidden layer carries it, the first hidden layer still carries the colour,
 * and a fixed seed reproduces every number.
 */
class CheckerboardEndToEndTest {
    @TempDir
    static Path dir;

    static final String EXPERIMENT = """
            name: e2e
            seeds: [0]
            task: {id: checkerboard, encoding: grid, samples: 6000, probeFraction: 0.1}
            model: {id: mlp, hidden: [100, 100, 2]}
            train:
              phases:
                - {epochs: 8, lr: 0.05, batch: 32}
            probes:
              - {id: usable-information, decoder: linear, layers: [hidden1, hidden2, hidden3],
                 variables: [direction, color, config], fitSamples: 1000}
            schedule: {steps: [0, 10, 30, 100], every: [{until: 2, epochs: 0.5}, {epochs: 1}]}
            """;

    static CliHarness.Result first;

    @BeforeAll
    static void runOnce() throws IOException {
        Path exp = Files.writeString(dir.resolve("e2e.yaml"), EXPERIMENT);
        first = CliHarness.run("run", exp.toString(), "--backend", "djl", "--out", dir.resolve("a").toString());
    }

    private static double last(List<MetricRow> rows, String probe, String layer, String variable, String metric) {
        MetricRow found = null;
        for (MetricRow r : rows) {
            if (r.probe().equals(probe) && r.layer().equals(layer) && r.variable().equals(variable) && r.metric().equals(metric)) {
                found = r;
            }
        }
        assertThat(found).as("%s %s %s %s", probe, layer, variable, metric).isNotNull();
        return found.value();
    }

    @Test
    void learnsTheTaskAndMeasuresWhatThePaperMeasures() throws IOException {
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Path run = dir.resolve("a/e2e-djl-seed0");
        List<MetricRow> rows = MetricsCsv.read(run.resolve("metrics.csv"));
        assertThat(last(rows, "train", "output", "direction", "heldout_accuracy")).isGreaterThan(0.95);
        assertThat(last(rows, "usable-information", "hidden3", "direction", "bits")).isGreaterThan(0.9);
        assertThat(last(rows, "usable-information", "hidden1", "color", "bits")).isGreaterThan(0.9);
        // before training nothing about the direction is linearly decodable (it is an XOR)
        MetricRow start = rows.stream().filter(r -> r.step() == 0 && r.layer().equals("hidden3") && r.variable().equals("direction")
                && r.metric().equals("bits")).findFirst().orElseThrow();
        assertThat(start.value()).isLessThan(0.2);
        for (String metric : List.of("bits", "null_ce_bits", "decoder_eval_ce_bits", "decoder_fit_ce_bits", "decoder_accuracy", "log2k")) {
            assertThat(rows).anyMatch(r -> r.metric().equals(metric));
        }
        assertThat(last(rows, "usable-information", "hidden1", "color", "log2k")).isEqualTo(1.0);
    }

    @Test
    void writesManifestEventsAndASummary() throws IOException {
        Path run = dir.resolve("a/e2e-djl-seed0");
        Map<String, Object> m = Json.readObject(run.resolve("manifest.json"));
        assertThat(m).containsEntry("status", "completed");
        @SuppressWarnings("unchecked")
        Map<String, Object> backend = (Map<String, Object>) m.get("backend");
        assertThat(backend).containsEntry("id", "djl");
        assertThat(String.valueOf(backend.get("versions"))).contains("PyTorch=2.7.1");
        assertThat(backend).as("the device asked for (the default) and the one used").containsEntry("device", "auto");
        @SuppressWarnings("unchecked")
        Map<String, Object> used = (Map<String, Object>) backend.get("device_used");
        assertThat(used).containsEntry("id", "cpu").containsKey("name");
        assertThat(((Number) used.get("memory_bytes")).longValue()).as("the host's memory").isPositive();
        assertThat(Files.readAllLines(run.resolve("events.jsonl"))).last().asString().contains("run-finished");
        assertThat(first.out()).contains("usable-information hidden3 direction", "final accuracy on 'direction'", "wrote");
    }

    @Test
    void aFixedSeedReproducesEveryNumber() throws IOException {
        Path exp = dir.resolve("e2e.yaml");
        CliHarness.Result again = CliHarness.run("run", exp.toString(), "--backend", "djl", "--out", dir.resolve("b").toString(), "-q");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(Files.readString(dir.resolve("b/e2e-djl-seed0/metrics.csv")))
                .isEqualTo(Files.readString(dir.resolve("a/e2e-djl-seed0/metrics.csv")));
    }
}
