package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.infodyn.engine.output.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code infodyn sweep --only-index I} for schedulers that are not Spark (a Slurm job array, a
 * Kubernetes indexed job): one process per run, several at once on one folder, then
 * {@code infodyn report DIR} — the same files as a sweep run in one process.
 */
class SweepOnlyIndexTest {
    @TempDir
    Path dir;

    private Path experiment() throws IOException {
        return Files.writeString(dir.resolve("grid.yaml"), """
                name: grid
                task: {id: checkerboard, samples: 1500}
                model: {id: mlp, hidden: [16, 2]}
                train: {phases: [{epochs: 1, lr: 0.05, batch: 32}]}
                probes: [{id: usable-information, layers: [hidden1, hidden2], variables: [direction, color], fitSamples: 500}]
                schedule: {steps: [0, 20], every: []}
                sweep:
                  train.phases[0].lr: [0.05, 0.01]
                  seeds: 0..1
                """);
    }

    private static Process start(Path log, String... args) throws IOException {
        return new ProcessBuilder(ChildJvm.infodyn(args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void runsStartedOneByOneAndAggregatedGiveTheSameFilesAsOneSweep() throws Exception {
        Path exp = experiment();
        CliHarness.Result whole = CliHarness.run("sweep", exp.toString(), "--out", dir.resolve("whole").toString(), "-q");
        assertThat(whole.exitCode()).as(whole.toString()).isZero();

        CliHarness.Result dry = CliHarness.run("sweep", exp.toString(), "--dry-run");
        assertThat(dry.out()).contains("runs (the index is --only-index's):", "  0 grid_", "  3 grid_");
        Path shared = dir.resolve("array");
        // indices 0 and 1 as two processes at once (as an array's tasks start), then 2 and 3 in this JVM
        Process a = start(dir.resolve("a.log"), "sweep", exp.toString(), "--out", shared.toString(), "--only-index", "0", "-q");
        Process b = start(dir.resolve("b.log"), "sweep", exp.toString(), "--out", shared.toString(), "--only-index", "1", "-q");
        assertThat(a.waitFor(240, TimeUnit.SECONDS) && b.waitFor(240, TimeUnit.SECONDS)).isTrue();
        assertThat(a.exitValue()).as(Files.readString(dir.resolve("a.log"))).isZero();
        assertThat(b.exitValue()).as(Files.readString(dir.resolve("b.log"))).isZero();
        for (String i : List.of("2", "3")) {
            CliHarness.Result r = CliHarness.run("sweep", exp.toString(), "--out", shared.toString(), "--only-index", i, "-q");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("run " + i + " of 4", "completed", "when every run is done: infodyn report " + shared);
        }
        assertThat(shared.resolve("summary.csv")).as("no aggregates until report").doesNotExist();
        CliHarness.Result again = CliHarness.run("sweep", exp.toString(), "--out", shared.toString(), "--only-index", "3", "-q");
        assertThat(again.out()).contains("run 3 (", "had already finished", "kept");

        CliHarness.Result report = CliHarness.run("report", shared.toString());
        assertThat(report.exitCode()).as(report.toString()).isZero();
        for (String file : List.of("summary.csv", "extremes.csv")) {
            assertThat(Files.readString(shared.resolve(file))).as(file).isEqualTo(Files.readString(dir.resolve("whole").resolve(file)));
        }
        var definition = Json.readObject(shared.resolve("sweep.json"));
        var expected = Json.readObject(dir.resolve("whole/sweep.json"));
        definition.remove("created");
        expected.remove("created");
        assertThat(definition).as("sweep.json but its creation time").isEqualTo(expected);
        for (String run : runIds(dir.resolve("whole/runs"))) {
            assertThat(Files.readAllLines(shared.resolve("runs").resolve(run).resolve("metrics.csv")))
                    .as(run).isEqualTo(Files.readAllLines(dir.resolve("whole/runs").resolve(run).resolve("metrics.csv")));
        }
    }

    @Test
    void anIndexOutOfRangeOrAnotherSweepsFolderIsRefused() throws IOException {
        Path exp = experiment();
        CliHarness.Result range = CliHarness.run("sweep", exp.toString(), "--out", dir.resolve("x").toString(), "--only-index", "4");
        assertThat(range.exitCode()).isEqualTo(2);
        assertThat(range.err()).contains("--only-index: 4 is not a run of this sweep; its 4 runs are 0 … 3");
        assertThat(dir.resolve("x")).doesNotExist();
        CliHarness.Result resume = CliHarness.run("sweep", exp.toString(), "--out", dir.resolve("x").toString(), "--only-index", "0",
                "--resume");
        assertThat(resume.exitCode()).isEqualTo(2);
        assertThat(resume.err()).contains("drop --resume");
        // a folder holding another experiment's sweep
        CliHarness.Result first = CliHarness.run("sweep", exp.toString(), "--out", dir.resolve("y").toString(), "--only-index", "0", "-q");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        CliHarness.Result other = CliHarness.run("sweep", exp.toString(), "--set", "model.hidden=[8, 2]", "--out", dir.resolve("y").toString(),
                "--only-index", "1");
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).doesNotContain("Exception");
        assertThat(dir.resolve("y/runs")).isDirectory();
        try (Stream<Path> s = Files.list(dir.resolve("y/runs"))) {
            assertThat(s.count()).as("only the first run").isEqualTo(1);
        }
    }

    private static List<String> runIds(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
