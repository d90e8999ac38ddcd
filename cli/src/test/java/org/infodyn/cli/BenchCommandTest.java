package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.infodyn.engine.output.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infodyn bench} as a user runs it: what it prints and writes (no timing is asserted). */
class BenchCommandTest {
    @TempDir
    Path dir;

    private static final String EXPERIMENT = """
            name: tiny-bench
            task: {id: checkerboard, samples: 400}
            model: {id: mlp, hidden: [8, 2]}
            train:
              phases:
                - {epochs: 1, lr: 0.05, batch: 16}
            probes:
              - {id: usable-information, layers: [hidden1, hidden2], variables: [color, direction]}
            """;

    @Test
    void timesStepsAndAProbePointAndSaysWhereTheyRan() throws IOException {
        Path exp = Files.writeString(dir.resolve("bench.yaml"), EXPERIMENT);
        Path json = dir.resolve("bench.json");
        CliHarness.Result r = CliHarness.run("bench", exp.toString(), "--backend", "djl", "--batches", "8", "--steps", "2",
                "--repeats", "1", "--json", json.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("on djl", "cpu ", "SGD step, batch     8", "probe point: 4 series", "after 200 SGD steps",
                "fits, cold:", "fits, warm:");
        Map<String, Object> results = Json.readObject(json);
        assertThat(results).containsKeys("device", "versions", "probe_point");
        @SuppressWarnings("unchecked")
        Map<String, Object> point = (Map<String, Object>) results.get("probe_point");
        assertThat(point).containsKeys("fits_cold_ms", "fits_warm_ms", "probe_threads", "layers");
        assertThat(((Number) point.get("probe_at_steps")).intValue()).as("the network probed: trained a fixed number of steps").isEqualTo(200);
        if (Runtime.getRuntime().availableProcessors() > 1) {
            assertThat(r.out()).contains("fits, cold, side by side:");
            assertThat(point).containsKey("fits_cold_side_by_side_ms");
        } else {
            assertThat(point).as("nothing ran side by side on one CPU").doesNotContainKey("fits_cold_side_by_side_ms");
        }
    }

    @Test
    void aDeviceNotAtHandIsRefused() throws IOException {
        Path exp = Files.writeString(dir.resolve("bench.yaml"), EXPERIMENT);
        CliHarness.Result r = CliHarness.run("bench", exp.toString(), "--device", "gpu");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("device gpu was requested").doesNotContain("\tat ");
    }

    @Test
    void aNegativeProbeStepIsRefusedWithTheAllowedValues() throws IOException {
        Path exp = Files.writeString(dir.resolve("bench.yaml"), EXPERIMENT);
        CliHarness.Result r = CliHarness.run("bench", exp.toString(), "--probe-at", "-1");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--probe-at: -1", "0 or more").doesNotContain("\tat ");
    }

    /**
     * The probe point is taken on the network trained exactly --probe-at steps, whatever the
     * timing did: two runs measure the same values, and another step count measures others.
     */
    @Test
    void probesTheNetworkTrainedTheGivenStepsTheSameInEveryRun() throws IOException {
        Path exp = Files.writeString(dir.resolve("bench.yaml"), EXPERIMENT);
        Object first = measured(exp, "30", "a");
        assertThat(measured(exp, "30", "b")).as("the same network, the same measurements").isEqualTo(first);
        assertThat(measured(exp, "0", "c")).as("the untrained network measures otherwise").isNotEqualTo(first);
    }

    private Object measured(Path exp, String probeAt, String name) throws IOException {
        Path json = dir.resolve(name + ".json");
        CliHarness.Result r = CliHarness.run("bench", exp.toString(), "--backend", "djl", "--batches", "8", "--steps", "2",
                "--repeats", "1", "--probe-at", probeAt, "--json", json.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> point = (Map<String, Object>) Json.readObject(json).get("probe_point");
        assertThat(((Number) point.get("probe_at_steps")).intValue()).isEqualTo(Integer.parseInt(probeAt));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> measured = (List<Map<String, Object>>) point.get("measured");
        assertThat(measured).hasSize(4).allSatisfy(m -> assertThat(m).containsKeys("bits", "variable"));
        return point.get("measured");
    }
}
