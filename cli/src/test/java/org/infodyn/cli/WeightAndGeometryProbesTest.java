package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes beyond usable information (cka, dimensionality, weights, fisher) from an experiment
 * file, as a user runs them: on every backend with the same numbers, their rows without a
 * variable, their mistakes refused before anything is written, and replica groups stepping aside
 * for a probe that needs gradients.
 */
class WeightAndGeometryProbesTest {
    @TempDir
    Path dir;

    private Path experiment() throws IOException {
        return Files.writeString(dir.resolve("probes.yaml"), """
                name: more
                task: {id: checkerboard, samples: 2000}
                model: {id: mlp, hidden: [20, 2]}
                train: {phases: [{epochs: 2, lr: 0.05, batch: 32}]}
                probes:
                  - {id: cka, layers: [hidden1, hidden2], with: hidden1, samples: 150}
                  - {id: dimensionality, layers: [hidden1, hidden2]}
                  - {id: weights}
                  - {id: fisher, samples: 50}
                schedule: {steps: [0, 20, 60], every: []}
                """);
    }

    /** (step, layer, probe, metric) → value, for the rows with a value. */
    private static Map<String, Double> values(Path run) throws IOException {
        Map<String, Double> out = new HashMap<>();
        try (Stream<String> lines = Files.lines(run.resolve("metrics.csv"))) {
            lines.skip(1).map(l -> l.split(",", -1)).filter(c -> !c[8].equals("train")).forEach(c -> {
                assertThat(c[7]).as("variable column of %s %s", c[8], c[9]).isEmpty();
                if (!c[10].isEmpty()) {
                    out.put(c[5] + " " + c[6] + " " + c[8] + " " + c[9], Double.parseDouble(c[10]));
                }
            });
        }
        return out;
    }

    @Test
    void everyBackendMeasuresTheSameNumbers() throws IOException {
        Path exp = experiment();
        Map<String, Map<String, Double>> byBackend = new HashMap<>();
        for (String backend : List.of("djl", "tf", "dl4j")) {
            CliHarness.Result r = CliHarness.run("run", exp.toString(), "--backend", backend, "--out", dir.resolve(backend).toString(), "-q");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            byBackend.put(backend, values(dir.resolve(backend + "/more-" + backend + "-seed0")));
        }
        Map<String, Double> djl = byBackend.get("djl");
        // the report draws each probe by its headline metrics
        CliHarness.Result report0 = CliHarness.run("report", dir.resolve("djl").toString());
        assertThat(report0.exitCode()).as(report0.toString()).isZero();
        String report = Files.readString(dir.resolve("djl/report.html"));
        assertThat(report).contains("Probe: cka", "Probe: dimensionality", "Probe: weights", "Probe: fisher");
        assertThat(dir.resolve("djl/figures/fisher_dense1_trace.svg")).exists();
        assertThat(dir.resolve("djl/figures/cka_hidden2_cka_init.svg")).exists();
        // points 0, 20, 60 and the end (114): cka 2 layers × 3 metrics (no cka_previous at step 0), dimensionality 2 × 3,
        // weights 3 layers × 3, fisher 3 × 2
        assertThat(djl).hasSize(4 * (6 + 6 + 9 + 6) - 2);
        assertThat(djl.get("0 hidden1 cka cka_init")).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(djl.get("60 dense1 weights distance_from_init")).isPositive();
        assertThat(djl.get("0 dense1 weights distance_from_init")).isZero();
        assertThat(djl.get("60 dense1 fisher trace") + djl.get("60 dense2 fisher trace") + djl.get("60 output fisher trace"))
                .isCloseTo(djl.get("60 output fisher trace_total"), org.assertj.core.data.Offset.offset(1e-9));
        for (String backend : List.of("tf", "dl4j")) {
            Map<String, Double> other = byBackend.get(backend);
            assertThat(other.keySet()).isEqualTo(djl.keySet());
            // float32 training on each backend: parameters agree to ~1e-6 relative after 100 steps (DESIGN §6),
            // a variance summed over 20 units to ~2e-5
            djl.forEach((k, v) -> assertThat(other.get(k)).as("%s on %s", k, backend)
                    .isCloseTo(v, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(v)))));
        }
    }

    @Test
    void mistakesAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path exp = experiment();
        Map<String, String> cases = Map.of(
                "probes=[{id: cka, variables: [color]}]", "probes[0].variables: probe cka measures no variable; remove 'variables'",
                "probes=[{id: weights, layers: [hidden1]}]",
                "probes[0].layers[0]: probe weights measures parameters, and layer 'hidden1' has none; layers with parameters: dense1, dense2, output",
                "probes=[{id: cka, with: hidden9}]", "probes[0]: probe cka compares with layer 'hidden9', which model mlp does not have",
                "probes=[{id: fisher, reduce: channel-mean}]", "probes[0].reduce: probe fisher measures parameters, not activations");
        cases.forEach((set, message) -> {
            CliHarness.Result r = CliHarness.run("run", exp.toString(), "--set", set, "--out", dir.resolve("bad").toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("infodyn: error: " + message.split(": ", 2)[0]).contains(message.split(": ", 2)[1]);
            assertThat(r.err()).doesNotContain("Exception");
        });
        assertThat(dir.resolve("bad")).doesNotExist();
    }

    @Test
    void replicaGroupsInspectEachReplicaAndStepAsideForGradients() throws IOException {
        Path exp = experiment();
        // weights and cka: the runs train as one group, each replica inspected on its own
        String noGradients = "probes=[{id: weights}, {id: cka, layers: [hidden2]}]";
        for (String replicas : List.of("1", "2")) {
            CliHarness.Result r = CliHarness.run("run", exp.toString(), "--set", "seeds=0..1", "--set", noGradients, "--replicas", replicas,
                    "--out", dir.resolve("r" + replicas).toString(), "-q");
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        for (String seed : List.of("seed0", "seed1")) {
            Map<String, Double> single = values(dir.resolve("r1/more-djl-" + seed));
            Map<String, Double> grouped = values(dir.resolve("r2/more-djl-" + seed));
            assertThat(grouped.keySet()).isEqualTo(single.keySet());
            single.forEach((k, v) -> assertThat(grouped.get(k)).as(k).isCloseTo(v, org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.abs(v)))));
        }
        // fisher needs gradients, which only a single model computes: the runs train one by one, as without groups
        CliHarness.Result grouped = CliHarness.run("run", exp.toString(), "--set", "seeds=0..1", "--replicas", "2", "--out",
                dir.resolve("grouped").toString(), "-q");
        assertThat(grouped.exitCode()).as(grouped.toString()).isZero();
        CliHarness.Result single = CliHarness.run("run", exp.toString(), "--set", "seeds=0..1", "--replicas", "1", "--out",
                dir.resolve("single").toString(), "-q");
        assertThat(single.exitCode()).as(single.toString()).isZero();
        for (String seed : List.of("seed0", "seed1")) {
            assertThat(values(dir.resolve("grouped/more-djl-" + seed))).isEqualTo(values(dir.resolve("single/more-djl-" + seed)));
        }
    }
}
