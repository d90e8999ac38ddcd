package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.infodyn.engine.output.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep killed with SIGKILL in the middle of a run, then resumed, ends with exactly the files
 * of a sweep that was never interrupted: finished runs are kept, the interrupted one is redone.
 */
class KillAndResumeTest {
    @TempDir
    Path dir;

    static final String SWEEP = """
            name: killme
            task: {id: checkerboard, samples: 2000}
            model: {id: mlp, hidden: [32, 2]}
            train:
              phases:
                - {epochs: 6, lr: 0.05, batch: 16}
            probes:
              - {id: usable-information, layers: [hidden1, hidden2], variables: [color, direction], fitSamples: 500}
            schedule: {steps: [0, 10, 30], every: [{epochs: 0.5}]}
            sweep:
              train.phases[0].lr: [0.05, 0.01]
              seeds: 0..1
            """;

    private static Process start(Path exp, Path out, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("sweep", exp.toString(), "--out", out.toString(), "--parallel", "1", "-q"));
        args.addAll(List.of(extra));
        return new ProcessBuilder(ChildJvm.infodyn(args.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile()).start();
    }

    private static String status(Path run) {
        try {
            return String.valueOf(Json.readObject(run.resolve("manifest.json")).get("status"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Test
    void aKilledSweepResumesToTheSameResults() throws Exception {
        Path exp = Files.writeString(dir.resolve("killme.yaml"), SWEEP);
        Path killed = dir.resolve("killed");
        Process p = start(exp, killed);
        // wait until one run has finished and the next one is under way, then SIGKILL
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean midRun = false;
        while (System.nanoTime() < deadline && p.isAlive() && !midRun) {
            Thread.sleep(20);
            Path runs = killed.resolve("runs");
            if (Files.isDirectory(runs)) {
                try (Stream<Path> s = Files.list(runs)) {
                    List<String> st = s.map(KillAndResumeTest::status).toList();
                    midRun = st.contains("completed") && st.contains("running");
                }
            }
        }
        assertThat(midRun).as("caught the sweep between runs; log: %s", Files.readString(dir.resolve("killed.log"))).isTrue();
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, files as a crash leaves them
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process resume = start(exp, killed, "--resume");
        assertThat(resume.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(dir.resolve("killed.log"));
        assertThat(resume.exitValue()).as(log).isZero();
        assertThat(log).contains("redoing run", "interrupted");

        Path clean = dir.resolve("clean");
        Process uninterrupted = start(exp, clean);
        assertThat(uninterrupted.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(uninterrupted.exitValue()).isZero();

        List<String> runIds;
        try (Stream<Path> s = Files.list(clean.resolve("runs"))) {
            runIds = s.map(x -> x.getFileName().toString()).sorted().toList();
        }
        assertThat(runIds).hasSize(4);
        for (String id : runIds) {
            assertThat(Files.readString(killed.resolve("runs").resolve(id).resolve("metrics.csv"))).as(id)
                    .isEqualTo(Files.readString(clean.resolve("runs").resolve(id).resolve("metrics.csv")));
            Map<String, Object> m = Json.readObject(killed.resolve("runs").resolve(id).resolve("manifest.json"));
            assertThat(m).containsEntry("status", "completed");
        }
        assertThat(Files.readString(killed.resolve("summary.csv"))).isEqualTo(Files.readString(clean.resolve("summary.csv")));
    }
}
