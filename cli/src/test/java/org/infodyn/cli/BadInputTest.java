package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.infodyn.engine.output.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input gets a one-line message naming the problem, exit code 2, no stack
 * trace and no files.
 */
class BadInputTest {
    @TempDir
    Path dir;

    private static final String GOOD = """
            name: tiny
            task: {id: checkerboard, samples: 200}
            model: {id: mlp, hidden: [8, 2]}
            train:
              phases:
                - {epochs: 1, lr: 0.05, batch: 16}
            probes:
              - {id: usable-information, layers: [hidden1], variables: [color]}
            """;

    private Path experiment(String text) throws IOException {
        return Files.writeString(dir.resolve("exp.yaml"), text);
    }

    private void assertUsageError(CliHarness.Result r, String... fragments) throws IOException {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        String firstLine = r.err().lines().findFirst().orElse("");
        assertThat(firstLine).startsWith("infodyn: error: ");
        for (String f : fragments) {
            assertThat(r.err()).as(r.toString()).contains(f);
        }
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private CliHarness.Result run(Path exp, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "run";
        args[1] = exp.toString();
        args[2] = "--out";
        args[3] = dir.resolve("out").toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliHarness.run(args);
    }

    /** The tests run the CPU build: no backend of it has a GPU, whatever the machine. */
    @Test
    void aDeviceThatIsNotAtHandFailsBeforeAnythingIsWritten() throws IOException {
        assertUsageError(run(experiment(GOOD), "--device", "gpu"), "device gpu was requested", "backend djl cannot run on a GPU here",
                "INFODYN_GPU=1", "use device: cpu or auto");
        assertUsageError(run(experiment(GOOD), "--device", "gpu:1", "--backend", "tf"), "device gpu:1 was requested", "backend tf");
        assertUsageError(run(experiment(GOOD.replace("name: tiny", "name: tiny\ndevice: gpu")), "--backend", "dl4j"),
                "backend dl4j cannot run on a GPU here", "CUDA 11.6");
        assertUsageError(run(experiment(GOOD), "--device", "gpu", "--dry-run"), "device gpu was requested");
        CliHarness.Result sweep = CliHarness.run("sweep", experiment(GOOD + "sweep:\n  train.phases[0].lr: [0.05, 0.1]\n").toString(),
                "--device", "gpu", "--out", dir.resolve("out").toString());
        assertThat(sweep.exitCode()).as(sweep.toString()).isEqualTo(2);
        assertThat(sweep.err()).contains("infodyn: error: backend unavailable: device gpu was requested", "backend djl")
                .doesNotContain("\tat ");
        assertThat(dir.resolve("out")).as("a sweep checks its devices before it writes").doesNotExist();
        assertUsageError(run(experiment(GOOD), "--device", "tpu"), "device", "unknown device 'tpu'", "auto, cpu, gpu, gpu:N");
        assertUsageError(run(experiment(GOOD.replace("name: tiny", "name: tiny\ndevice: gpu:first"))), "unknown device 'gpu:first'");
    }

    @Test
    void missingFile() throws IOException {
        assertUsageError(run(dir.resolve("nope.yaml")), "not found", "nope.yaml");
    }

    @Test
    void yamlSyntaxErrorWithLineAndColumn() throws IOException {
        assertUsageError(run(experiment("task: {id: checkerboard\ntrain: [\n")), "exp.yaml:", "YAML syntax error");
    }

    @Test
    void unknownIds() throws IOException {
        assertUsageError(run(experiment(GOOD.replace("id: checkerboard", "id: checkers"))), "unknown task 'checkers'", "checkerboard");
        assertUsageError(run(experiment(GOOD), "--backend", "torch"), "unknown backend 'torch'", "djl");
        assertUsageError(run(experiment(GOOD.replace("id: usable-information", "id: usable"))), "unknown probe 'usable'",
                "usable-information");
        assertUsageError(run(experiment(GOOD.replace("layers: [hidden1]", "layers: [hidden7]"))), "unknown layer 'hidden7'",
                "hidden1, dense2");
        assertUsageError(run(experiment(GOOD.replace("variables: [color]", "variables: [colour]"))),
                "unknown variable 'colour'", "direction, color, config");
        assertUsageError(run(experiment(GOOD.replace("id: mlp", "id: resnet"))), "unknown model 'resnet'", "mlp");
    }

    @Test
    void unknownFieldListsTheKnownOnes() throws IOException {
        assertUsageError(run(experiment(GOOD.replace("samples: 200", "samples: 200, smaples: 3"))),
                "task.smaples: unknown field 'smaples'", "probeFraction");
    }

    @Test
    void outOfRangeTrainingSettings() throws IOException {
        assertUsageError(run(experiment(GOOD.replace("lr: 0.05", "lr: 0"))), "train.phases[0].lr: must be > 0 and finite, got 0");
        assertUsageError(run(experiment(GOOD.replace("batch: 16", "batch: 0"))), "train.phases[0].batch: must be ≥ 1, got 0");
        assertUsageError(run(experiment(GOOD.replace("batch: 16", "batch: 500"))), "larger than the train split (180 samples)");
        assertUsageError(run(experiment(GOOD.replace("epochs: 1", "epochs: -2"))), "train.phases[0].epochs: must be ≥ 0, got -2");
    }

    /** A batch norm over features cannot train on a batch of one sample; every backend is told so alike, before training. */
    @Test
    void batchesOfOneSampleUnderABatchNormOverFeatures() throws IOException {
        String bn = GOOD.replace("model: {id: mlp, hidden: [8, 2]}",
                "model: {id: layers, layers: [{kind: dense, units: 8}, {kind: batchnorm}, {kind: relu, name: hidden1}]}");
        for (String backend : new String[] {"djl", "tf", "dl4j"}) {
            assertUsageError(run(experiment(bn.replace("batch: 16", "batch: 1")), "--backend", backend),
                    "train.phases[0].batch: batch 1; batch norm over features (layer 'bn1')", "at least 2 samples", "e.g. 2");
        }
        assertUsageError(run(experiment(bn.replace("batch: 16", "batch: 179"))),
                "batch 179 leaves a last batch of 1 sample in every epoch (180 train samples, 180 mod 179 = 1)", "e.g. 180");
        CliHarness.Result sweep = CliHarness.run("sweep", experiment(bn + "sweep:\n  train.phases[0].batch: [16, 179]\n").toString(),
                "--out", dir.resolve("out").toString());
        assertThat(sweep.exitCode()).as(sweep.toString()).isEqualTo(2);
        assertThat(sweep.err()).contains("batch 179 leaves a last batch of 1 sample").doesNotContain("\tat ");
        assertThat(dir.resolve("out")).as("a sweep plans every run before it writes").doesNotExist();
        CliHarness.Result bench = CliHarness.run("bench", experiment(bn).toString(), "--batches", "32,1", "--no-probe");
        assertThat(bench.exitCode()).as(bench.toString()).isEqualTo(2);
        assertThat(bench.err()).contains("--batches: 1: batch norm over features (layer 'bn1')", "allowed: 2..180")
                .doesNotContain("\tat ");
    }

    @Test
    void badOverrides() throws IOException {
        Path exp = experiment(GOOD);
        assertUsageError(run(exp, "--set", "train.phases[2].lr=0.1"), "has 1 element");
        assertUsageError(run(exp, "--set", "task.nosie=0.1"), "unknown field 'nosie'", "--set task.nosie=0.1");
        assertUsageError(run(exp, "--set", "train.phases[0].batch=big"), "expected an integer, got 'big'");
        assertUsageError(run(exp, "--set", "seeds"), "path=value");
    }

    @Test
    void outputDirectoryThatIsAFileOrExists() throws IOException {
        Path exp = experiment(GOOD);
        Path file = Files.writeString(dir.resolve("afile"), "keep me");
        CliHarness.Result r = CliHarness.run("run", exp.toString(), "--out", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is a file");
        assertThat(Files.readString(file)).isEqualTo("keep me");

        Path existing = dir.resolve("prev/tiny-djl-seed0");
        Files.createDirectories(existing);
        Files.writeString(existing.resolve("metrics.csv"), "precious");
        r = CliHarness.run("run", exp.toString(), "--out", dir.resolve("prev").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("already exists");
        assertThat(Files.readString(existing.resolve("metrics.csv"))).isEqualTo("precious");
    }

    @Test
    void unknownOptionsAndSubcommandsAreUsageErrors() {
        CliHarness.Result r = CliHarness.run("runn");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("run");
        r = CliHarness.run("run", "--frobnicate", "x.yaml");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--frobnicate");
        r = CliHarness.run("run");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("EXPERIMENT");
    }

    @Test
    void verboseShowsTheCause() throws IOException {
        CliHarness.Result r = run(experiment("task: {id: checkerboard\n"), "--verbose");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("\tat ");
    }

    // The rows of the robustness issue: each failed before (an internal error, a stack trace, a
    // half-written run, a wrong exit code) and is a one-line refusal now.

    @Test
    void numbersTooLargeForADoubleAreNamedNotCrashedOn() throws IOException {
        Path exp = experiment(GOOD);
        assertUsageError(run(exp, "--set", "train.phases[0].lr=1e400"), "train.phases[0].lr: must be > 0 and finite, got Infinity",
                "--set train.phases[0].lr=1e400");
        assertUsageError(run(exp, "--set", "train.phases[0].momentum=1e400"), "train.phases[0].momentum: must be in [0, 1), got Infinity");
        assertUsageError(run(exp, "--set", "train.phases[0].epochs=1e400"), "train.phases[0].epochs: must be ≥ 0, got Infinity");
        assertUsageError(run(exp, "--set", "task.probeFraction=1e400"), "task.probeFraction: must be ≤ 0.9, got Infinity");
        assertUsageError(run(exp, "--set", "train.phases[99999999999].lr=1"), "list position 99999999999", "too large");
    }

    @Test
    void aModelTooLargeForThisMachineIsRefusedWithItsSizeBeforeAnythingIsWritten() throws IOException {
        assertUsageError(run(experiment(GOOD.replace("hidden: [8, 2]", "hidden: [100000000, 2]"))), "model: the network needs about",
                "GiB", "the largest layer, dense1, has 22,800,000,000", "make the model or the batch smaller");
        assertUsageError(run(experiment(GOOD.replace("samples: 200", "samples: 10000000"))), "task: the dataset of task checkerboard",
                "does not fit in the memory");
    }

    @Test
    void anOutputFolderThatCannotBeCreatedIsNamedWithTheReason() throws IOException {
        CliHarness.Result r = CliHarness.run("run", experiment(GOOD).toString(), "--out", "/proc/infodyn-out");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("infodyn: error: output directory /proc/infodyn-out cannot be written: ").doesNotContain("\tat ");
    }

    @Test
    void aTabInTheIndentationIsReportedWhereItIs() throws IOException {
        assertUsageError(run(experiment(GOOD.replace("  id: usable", "\tid: usable").replace("- {id: usable-information, ", "-\n\t  {id: usable-information, "))),
                "exp.yaml:9:1: YAML syntax error: a tab in the indentation");
    }

    @Test
    void anOversizedBinaryOrEmptyFileIsRefusedAtOnce() throws IOException {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "# " + "x".repeat(2_000_000) + "\n" + GOOD);
        assertUsageError(run(big), "has " + Files.size(big) + " bytes", "at most 1048576 (1 MiB)");
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        noise[0] = (byte) 0xff; // never valid in UTF-8
        assertUsageError(run(Files.write(dir.resolve("noise.yaml"), noise)), "noise.yaml is not UTF-8 text (byte 0xff at offset 0)");
        assertUsageError(run(Files.writeString(dir.resolve("nul.yaml"), "task: x\u0000\n")), "control character U+0000",
                "not a YAML or JSON file");
        assertUsageError(run(Files.writeString(dir.resolve("comments.yaml"), "# only a comment\n\n")), "holds no fields");
    }

    @Test
    void aValueTooLongToQuoteIsShortenedInTheMessage() throws IOException {
        Path exp = experiment(GOOD.replace("name: tiny", "name: [" + "1, ".repeat(20_000) + "1]"));
        CliHarness.Result r = run(exp);
        assertUsageError(r, "name: expected a string, got a list of 20001", "characters)");
        assertThat(r.err().length()).isLessThan(400);
    }

    @Test
    void aDivergingRunExitsOneWithItsStep() throws IOException {
        CliHarness.Result r = CliHarness.run("run", experiment(GOOD.replace("lr: 0.05", "lr: 1000")).toString(), "-q", "--out",
                dir.resolve("out").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("diverged: training loss").contains("train.divergence");
        Map<String, Object> m = Json.readObject(dir.resolve("out/tiny-djl-seed0/manifest.json"));
        assertThat(m).containsEntry("status", "diverged").containsKey("diverged_at_step");
    }

    @Test
    void aDryRunChecksEverythingAndWritesNothing() throws IOException {
        CliHarness.Result r = run(experiment(GOOD), "--dry-run");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("dry run of tiny", "12 SGD steps", "would write");
        assertThat(dir.resolve("out")).doesNotExist();
        assertUsageError(run(experiment(GOOD.replace("lr: 0.05", "lr: 0")), "--dry-run"), "train.phases[0].lr");
    }

    // Cases the fuzz test (FuzzTest) found.

    @Test
    void aValueWithALineBreakStillGivesOneLine() throws IOException {
        CliHarness.Result r = run(experiment(GOOD), "--set", "seeds='a\nb'", "--dry-run");
        assertUsageError(r, "seeds: expected a list of seeds");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void aSweepAxisWithoutValuesIsNamed() throws IOException {
        Path exp = experiment(GOOD + "sweep:\n  train.phases[0].lr: null\n");
        CliHarness.Result r = CliHarness.run("sweep", exp.toString(), "--out", dir.resolve("out").toString());
        assertUsageError(r, "sweep.train.phases[0].lr: no values");
        r = CliHarness.run("sweep", experiment(GOOD + "sweep:\n  train.phases[0].lr: [0.1, null]\n").toString(), "--out",
                dir.resolve("out").toString());
        assertUsageError(r, "sweep.train.phases[0].lr[1]: the value is missing");
    }

    @Test
    void aScheduleOfBillionsOfPointsIsRefusedNotBuilt() throws IOException {
        assertUsageError(run(experiment(GOOD), "--set", "train.phases[0].epochs=1e12", "--dry-run"), "schedule: the schedule's rules give",
                "at most 100000");
    }
}
