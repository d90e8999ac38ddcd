package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
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
 * The README's "Your own data and network" examples, run as a user runs them: a table with a
 * network written as layers, an image folder with a convolutional one (on all three backends,
 * which must agree), Fashion-MNIST on its real images, and bad inputs refused with exit 2 and
 * nothing written.
 */
class OwnDataEndToEndTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    private static double last(List<MetricRow> rows, String layer, String variable, String metric) {
        return rows.stream().filter(r -> r.layer().equals(layer) && r.variable().equals(variable) && r.metric().equals(metric))
                .reduce((a, b) -> b).orElseThrow().value();
    }

    @Test
    void theTabularExampleLearnsTheTargetAndRecordsTheClassCoding() throws IOException {
        CliHarness.Result r = CliHarness.run("run", EXAMPLES.resolve("tabular.yaml").toString(), "--set",
                "task.data=" + EXAMPLES.resolve("data/sensors.csv"), "--set", "train.phases[0].epochs=8", "--out",
                dir.resolve("out").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path run = dir.resolve("out/tabular-djl-seed0");
        List<MetricRow> rows = MetricsCsv.read(run.resolve("metrics.csv"));
        assertThat(last(rows, "output", "fault", "heldout_accuracy")).as("fault = load XOR regime (chance 0.5)").isGreaterThan(0.8);
        assertThat(last(rows, "hidden1", "site", "bits")).as("site is in the readings").isGreaterThan(0.5);
        assertThat(rows).anyMatch(x -> x.layer().equals("bottleneck"));
        Map<String, Object> manifest = Json.readObject(run.resolve("manifest.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> names = (Map<String, Object>) ((Map<String, Object>) manifest.get("dataset")).get("class_names");
        assertThat(names).containsEntry("load", List.of("low", "high")).containsEntry("site", List.of("east", "north", "south", "west"))
                .containsEntry("fault", List.of("0", "1"));
    }

    /** Convolution, pooling and dense layers written as a list, on DJL, TensorFlow and Deeplearning4j, agreeing. */
    @Test
    void theImageFolderExampleRunsUnchangedOnEveryBackendAndTheyAgree() throws IOException {
        CliHarness.Result r = CliHarness.run("compare", EXAMPLES.resolve("image-folder.yaml").toString(), "--backends", "djl,tf,dl4j",
                "--set", "task.data=" + EXAMPLES.resolve("data/shapes"), "--set", "train.phases[0].epochs=2", "--set",
                "schedule={steps: [0, 10]}", "--out", dir.resolve("cmp").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("reference: djl; compared: tf, dl4j", "block1@spatial-pool:2 colour", "verdict: AGREE");
    }

    @Test
    void fashionMnistOnTheRealImages() throws IOException {
        assumeThat(FASHION).as("Debian's dataset-fashion-mnist package (.ci/run installs it)").isDirectory();
        CliHarness.Result r = CliHarness.run("run", EXAMPLES.resolve("fashion-mnist.yaml").toString(), "--set", "task.perClass=60",
                "--set", "task.probePerClass=30", "--set", "train.phases[0].epochs=4", "--set", "schedule={steps: [0], every: [{epochs: 2}]}",
                "--out", dir.resolve("out").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<MetricRow> rows = MetricsCsv.read(dir.resolve("out/fashion-mnist-djl-seed0/metrics.csv"));
        assertThat(last(rows, "output", "coarse", "heldout_accuracy")).as("tops / long / footwear / bags (chance ~0.3)").isGreaterThan(0.6);
        assertThat(last(rows, "penultimate", "fine", "bits")).as("bits about the garment").isBetween(0.3, Math.log(10) / Math.log(2));
    }

    @Test
    void badDataAndBadLayersExitWithTwoAndWriteNothing() throws IOException {
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "a,b,y\n1,2,0\n3,4\n");
        CliHarness.Result r = CliHarness.run("run", EXAMPLES.resolve("tabular.yaml").toString(), "--set", "task.data=" + ragged,
                "--set", "task.variables=[]", "--set", "task.classes=[]", "--set", "task.features=[]",
                "--set", "probes[0].variables=[y]", "--set", "task.target=y", "--out", dir.resolve("out").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("infodyn: error: task.data: " + ragged + " line 3: 2 fields, but the header has 3 columns")
                .doesNotContain("\n");
        assertThat(dir.resolve("out")).doesNotExist();

        CliHarness.Result layers = CliHarness.run("run", EXAMPLES.resolve("image-folder.yaml").toString(), "--set",
                "task.data=" + EXAMPLES.resolve("data/shapes"), "--set", "model.layers[3].kernel=0", "--out", dir.resolve("out").toString());
        assertThat(layers.exitCode()).as(layers.toString()).isEqualTo(2);
        assertThat(layers.err()).contains("model.layers[3].kernel: must be ≥ 1, got 0");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
