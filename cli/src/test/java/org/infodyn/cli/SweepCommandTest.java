package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.infodyn.engine.output.Json;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.infodyn.engine.sweep.SweepLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infodyn sweep} on small grids: layout, aggregation, resume, refusals. */
class SweepCommandTest {
    @TempDir
    Path dir;

    static final String SWEEP = """
            name: tiny
            task: {id: checkerboard, samples: 400}
            model: {id: mlp, hidden: [8, 2]}
            train:
              phases:
                - {epochs: 2, lr: 0.05, batch: 16}
            probes:
              - {id: usable-information, layers: [hidden1, hidden2], variables: [color], fitSamples: 200}
            schedule: {steps: [0, 10], every: [{epochs: 1}]}
            sweep:
              train.phases[0].lr: [0.05, 1000000]
              seeds: 0..1
            """;

    private Path experiment(String text) throws IOException {
        return Files.writeString(dir.resolve("tiny.yaml"), text);
    }

    private CliHarness.Result sweep(Path exp, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "sweep";
        args[1] = exp.toString();
        args[2] = "--out";
        args[3] = dir.resolve("out").toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliHarness.run(args);
    }

    @Test
    void runsTheGridAggregatesOverSeedsAndReportsDivergence() throws IOException {
        CliHarness.Result r = sweep(experiment(SWEEP), "--parallel", "2", "-q");
        // the sweep finishes every run, then exits 1 because some diverged (as a run does)
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("2 runs diverged");
        Path out = dir.resolve("out");
        assertThat(out.resolve("runs")).isDirectoryContaining(p -> p.getFileName().toString().equals("tiny_lr0.05-djl-seed0"));
        List<String> runs;
        try (var s = Files.list(out.resolve("runs"))) {
            runs = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(runs).containsExactly("tiny_lr0.05-djl-seed0", "tiny_lr0.05-djl-seed1", "tiny_lr1000000-djl-seed0",
                "tiny_lr1000000-djl-seed1");
        Map<String, Object> diverged = Json.readObject(out.resolve("runs/tiny_lr1000000-djl-seed0/manifest.json"));
        assertThat(diverged).containsEntry("status", "diverged");
        assertThat(out.resolve("summary.csv")).exists();
        assertThat(out.resolve("summary.json")).exists();
        assertThat(out.resolve("figures/usable-information_hidden1_color.svg")).exists();
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<svg", "lr=0.05 (n = 2)", "95% confidence interval", "diverged");
        // self-contained: nothing to fetch, nothing to run (the SVG namespace URI is a name, not a fetch)
        assertThat(html).doesNotContain("<script", "<link", "@import", "src=\"http", "href=\"http", "url(http");

        // the summary equals the mean of the two seeds' values, computed here by hand
        double s0 = value(out.resolve("runs/tiny_lr0.05-djl-seed0/metrics.csv"), 10, "hidden2");
        double s1 = value(out.resolve("runs/tiny_lr0.05-djl-seed1/metrics.csv"), 10, "hidden2");
        String row = Files.readAllLines(out.resolve("summary.csv")).stream()
                .filter(l -> l.startsWith("lr0.05,usable-information,hidden2,color,bits,10,")).findFirst().orElseThrow();
        String[] f = row.split(",");
        assertThat(Integer.parseInt(f[7])).isEqualTo(2);
        assertThat(Double.parseDouble(f[8])).isCloseTo((s0 + s1) / 2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Double.parseDouble(f[9])).isCloseTo(Math.abs(s0 - s1) / Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-12));
        double half = 12.706204736174705 * Double.parseDouble(f[9]) / Math.sqrt(2);
        assertThat(Double.parseDouble(f[10])).isCloseTo((s0 + s1) / 2 - half, org.assertj.core.data.Offset.offset(1e-9));

        // the report regenerates from the files alone
        Files.delete(out.resolve("report.html"));
        CliHarness.Result again = CliHarness.run("report", out.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(out.resolve("report.html")).exists();
    }

    private static double value(Path metrics, long step, String layer) throws IOException {
        for (MetricRow r : MetricsCsv.read(metrics)) {
            if (r.step() == step && r.layer().equals(layer) && r.metric().equals("bits")) {
                return r.value();
            }
        }
        throw new AssertionError("no value");
    }

    @Test
    void resumeKeepsFinishedRunsRedoesBrokenOnesAndRefusesAnotherExperiment() throws IOException {
        Path exp = experiment(SWEEP.replace("1000000", "0.01")); // no run diverges: every invocation succeeds
        assertThat(sweep(exp, "-q").exitCode()).isZero();
        Path runs = dir.resolve("out/runs");
        String before = Files.readString(runs.resolve("tiny_lr0.05-djl-seed1/metrics.csv"));
        long keptTime = Files.getLastModifiedTime(runs.resolve("tiny_lr0.05-djl-seed0/metrics.csv")).toMillis();
        // break one run's files as a crash would: truncated metrics
        Path broken = runs.resolve("tiny_lr0.05-djl-seed1/metrics.csv");
        Files.writeString(broken, before.substring(0, before.length() / 2));

        CliHarness.Result plain = sweep(exp, "-q");
        assertThat(plain.exitCode()).isEqualTo(2);
        assertThat(plain.err()).contains("already holds a sweep", "--resume");

        CliHarness.Result resumed = sweep(exp, "--resume");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).contains("redoing run tiny_lr0.05-djl-seed1").contains("metrics.csv");
        assertThat(resumed.out()).contains("3 already finished", "1 to run");
        assertThat(Files.readString(broken)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(runs.resolve("tiny_lr0.05-djl-seed0/metrics.csv")).toMillis()).isEqualTo(keptTime);

        CliHarness.Result other = sweep(experiment(SWEEP.replace("1000000", "0.01").replace("batch: 16", "batch: 20")), "--resume");
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("different experiment", "train.phases[0].batch", "was 16, now 20");
    }

    @Test
    void refusesEmptyListsUnknownPathsAndHugeGrids() throws IOException {
        CliHarness.Result empty = sweep(experiment(SWEEP.replace("[0.05, 1000000]", "[]")));
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("sweep.train.phases[0].lr", "empty");
        CliHarness.Result unknown = sweep(experiment(SWEEP.replace("train.phases[0].lr:", "train.phases[0].lrate:")));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown field 'lrate'");
        CliHarness.Result huge = sweep(experiment(SWEEP.replace("seeds: 0..1", "seeds: 0..300")));
        assertThat(huge.exitCode()).isEqualTo(2);
        assertThat(huge.err()).contains("602 runs", "--max-runs 200", "--yes");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aSecondSweepCannotWriteIntoALockedDirectory() throws IOException {
        Path out = dir.resolve("out");
        try (SweepLock lock = SweepLock.acquire(out)) {
            CliHarness.Result r = sweep(experiment(SWEEP), "--resume");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains("another sweep is writing into").contains("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void resumeNeverDeletesWhatInfodynDidNotWrite() throws IOException {
        Path exp = experiment(SWEEP.replace("1000000", "0.01"));
        Path runs = dir.resolve("out/runs");
        assertThat(sweep(exp, "-q").exitCode()).isZero();
        // a plain file where a run's folder belongs, and a stranger's file inside an interrupted run
        Path run0 = runs.resolve("tiny_lr0.05-djl-seed0");
        deleteTree(run0);
        Files.writeString(run0, "my notes");
        CliHarness.Result r = sweep(exp, "--resume", "-q");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(run0 + " should be a run directory but is a file", "nothing was deleted");
        assertThat(Files.readString(run0)).isEqualTo("my notes");

        Files.delete(run0);
        Path run1 = runs.resolve("tiny_lr0.05-djl-seed1");
        Files.writeString(run1.resolve("manifest.json"), "{\"status\": \"running\"}");
        Files.writeString(run1.resolve("analysis.ipynb"), "{}");
        r = sweep(exp, "--resume", "-q");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("holds analysis.ipynb, which infodyn did not write");
        assertThat(run1.resolve("analysis.ipynb")).exists();

        Files.delete(run1.resolve("analysis.ipynb"));
        r = sweep(exp, "--resume", "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("redoing run tiny_lr0.05-djl-seed1");
    }

    @Test
    void aReportWaitsForNoSweepButRefusesWhileOneWrites() throws IOException {
        Path out = dir.resolve("out");
        assertThat(sweep(experiment(SWEEP.replace("1000000", "0.01")), "-q").exitCode()).isZero();
        try (SweepLock lock = SweepLock.acquire(out)) {
            CliHarness.Result r = CliHarness.run("report", out.toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("another sweep is writing into", "run 'infodyn report' when it has finished");
        }
        assertThat(CliHarness.run("report", out.toString()).exitCode()).isZero();
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
