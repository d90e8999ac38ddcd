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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeds trained together as one replica group (a batched group on DJL and TF, independent models on
 * DL4J) measure what they measure alone: usable information within 1e-3 bits.
 */
class ReplicaGroupsTest {
    @TempDir
    Path dir;

    private static final String EXPERIMENT = """
            name: rep
            seeds: 0..2
            task: {id: checkerboard, samples: 600}
            model: {id: mlp, hidden: [16, 8, 2]}
            train:
              phases:
                - {epochs: 2, lr: 0.05, batch: 16, momentum: 0.9}
            probes:
              - {id: usable-information, layers: [hidden2, hidden3], variables: [direction, color], fitSamples: 300}
            schedule: {steps: [0, 10], every: [{epochs: 1}]}
            """;

    @ParameterizedTest
    @ValueSource(strings = {"djl", "tf", "dl4j"})
    void aGroupMeasuresWhatItsRunsMeasureAlone(String backend) throws IOException {
        Path exp = Files.writeString(dir.resolve("rep.yaml"), EXPERIMENT);
        CliHarness.Result together = CliHarness.run("run", exp.toString(), "--backend", backend, "--replicas", "3", "-q", "--out",
                dir.resolve("together").toString());
        CliHarness.Result alone = CliHarness.run("run", exp.toString(), "--backend", backend, "--replicas", "1", "-q", "--out",
                dir.resolve("alone").toString());
        assertThat(together.exitCode()).as(together.toString()).isZero();
        assertThat(alone.exitCode()).as(alone.toString()).isZero();
        for (long seed = 0; seed < 3; seed++) {
            String id = "rep-" + backend + "-seed" + seed;
            List<MetricRow> a = MetricsCsv.read(dir.resolve("together").resolve(id).resolve("metrics.csv"));
            List<MetricRow> b = MetricsCsv.read(dir.resolve("alone").resolve(id).resolve("metrics.csv"));
            assertThat(a).hasSameSizeAs(b);
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).metric()).isEqualTo(b.get(i).metric());
                if (a.get(i).metric().equals("bits")) {
                    assertThat(a.get(i).value()).as("%s %s", id, a.get(i)).isCloseTo(b.get(i).value(),
                            org.assertj.core.data.Offset.offset(1e-3));
                }
            }
            Map<String, Object> m = Json.readObject(dir.resolve("together").resolve(id).resolve("manifest.json"));
            assertThat(m).containsEntry("replica_group", Map.of("size", 3, "index", (int) seed));
        }
    }
}
