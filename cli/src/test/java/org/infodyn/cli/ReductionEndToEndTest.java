package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.infodyn.engine.output.Json;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A convolutional network probed with explicit reductions: the outputs name what was measured
 * ({@code layer@reduction}), the manifest records each layer's reduction with its sizes, and a
 * reduction that does not fit a layer is refused before anything is written.
 */
class ReductionEndToEndTest {
    @TempDir
    Path dir;

    static final String EXPERIMENT = """
            name: reduced
            task: {id: checkerboard, encoding: image, samples: 800}
            model: {id: cnn-small, channels: [4, 8], dense: 16}
            train:
              phases:
                - {epochs: 1, lr: 0.05, batch: 32}
            probes:
              - {id: usable-information, layers: [block1, block2], variables: [color], fitSamples: 300, reduce: spatial-pool:2}
              - {id: usable-information, label: pcs, layers: [block2], variables: [color], fitSamples: 300, reduce: "pca:6"}
              - {id: usable-information, label: whole, layers: [block1, penultimate], variables: [color], fitSamples: 300}
            schedule: {steps: [0, 10]}
            """;

    @Test
    void reducedLayersAreNamedAndRecorded() throws Exception {
        Path exp = Files.writeString(dir.resolve("reduced.yaml"), EXPERIMENT);
        CliHarness.Result dry = CliHarness.run("run", exp.toString(), "--backend", "tf", "--out", dir.resolve("out").toString(), "--dry-run");
        assertThat(dry.out()).contains("usable-information measures block1@spatial-pool:2: spatial-pool:2 (4×7×7 = 196 → 16 features)",
                "pcs measures block2@pca:6: pca:6 (8×3×3 = 72 → 6 features)").doesNotContain("whole measures");
        CliHarness.Result r = CliHarness.run("run", exp.toString(), "--backend", "tf", "--out", dir.resolve("out").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path run = dir.resolve("out/reduced-tf-seed0");
        List<MetricRow> rows = MetricsCsv.read(run.resolve("metrics.csv"));
        assertThat(rows.stream().filter(x -> !x.probe().equals("train")).map(x -> x.probe() + " " + x.layer()).distinct())
                .containsExactlyInAnyOrder("usable-information block1@spatial-pool:2", "usable-information block2@spatial-pool:2",
                        "pcs block2@pca:6", "whole block1", "whole penultimate");
        assertThat(rows).filteredOn(x -> x.metric().equals("bits")).allSatisfy(x -> assertThat(x.value()).isFinite());

        Map<String, Object> m = Json.readObject(run.resolve("manifest.json"));
        String probes = String.valueOf(((Map<?, ?>) m.get("experiment")).get("probes"));
        assertThat(probes).contains("reduce=spatial-pool:2", "block1=spatial-pool:2 (4×7×7 = 196 → 16 features)",
                "block2=spatial-pool:2 (8×3×3 = 72 → 32 features)", "block2=pca:6 (8×3×3 = 72 → 6 features)",
                "reduce=auto", "block1=none (4×7×7 = 196 features)", "penultimate=none (16 features)");
        assertThat(r.out()).contains("usable-information block1@spatial-pool:2 color");
    }

    @Test
    void aReductionThatDoesNotFitIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path exp = Files.writeString(dir.resolve("reduced.yaml"), EXPERIMENT.replace("reduce: spatial-pool:2", "reduce: spatial-pool:9"));
        CliHarness.Result r = CliHarness.run("run", exp.toString(), "--backend", "tf", "--out", dir.resolve("out").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("probes[0].reduce: spatial-pool:9 asks for a finer grid than layer block1 (4×7×7, 196 features) has;"
                + " K must be at most 7");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
