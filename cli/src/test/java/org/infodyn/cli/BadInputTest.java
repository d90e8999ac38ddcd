package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
