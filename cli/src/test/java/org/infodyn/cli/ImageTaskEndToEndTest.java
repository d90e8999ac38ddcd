package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mnist-coarse with cnn-small on a small subset of the real MNIST digits, on every backend: the
 * network learns the coarse label (digit < 5) well above chance, and the fine label (the digit)
 * is measured in the penultimate layer.
 */
class ImageTaskEndToEndTest {
    static final Path MNIST = Path.of("..", "..", "shared", "data", "mnist-10k").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"djl", "tf", "dl4j"})
    void cnnSmallLearnsTheCoarseLabelAndTheFineOneIsMeasured(String backend) throws IOException {
        assumeThat(MNIST).as("the workspace's MNIST sample").isDirectory();
        Path exp = Files.writeString(dir.resolve("mnist.yaml"), """
                name: mnist
                task: {id: mnist-coarse, data: %s, perClass: 50, probePerClass: 20}
                model: {id: cnn-small, channels: [8, 16], dense: 32}
                train:
                  phases:
                    - {epochs: 6, lr: 0.05, batch: 32, momentum: 0.9}
                probes:
                  - {id: usable-information, layers: [penultimate], variables: [coarse, fine], fitSamples: 500}
                schedule: {steps: [0], every: [{epochs: 3}]}
                """.formatted(MNIST));
        CliHarness.Result r = CliHarness.run("run", exp.toString(), "--backend", backend, "--out", dir.resolve("out").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<MetricRow> rows = MetricsCsv.read(dir.resolve("out/mnist-" + backend + "-seed0/metrics.csv"));
        double accuracy = rows.stream().filter(x -> x.metric().equals("heldout_accuracy")).reduce((a, b) -> b).orElseThrow().value();
        assertThat(accuracy).as("held-out accuracy on digit < 5 vs ≥ 5 (chance 0.5)").isGreaterThan(0.8);
        double fine = rows.stream().filter(x -> x.variable().equals("fine") && x.metric().equals("bits")).reduce((a, b) -> b).orElseThrow().value();
        double log2k = rows.stream().filter(x -> x.variable().equals("fine") && x.metric().equals("log2k")).findFirst().orElseThrow().value();
        assertThat(log2k).isCloseTo(Math.log(10) / Math.log(2), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(fine).as("bits about the digit in the penultimate layer").isBetween(0.3, log2k);
    }
}
