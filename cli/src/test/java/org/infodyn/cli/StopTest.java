package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.infodyn.engine.output.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what {@code kill} and {@link Process#destroy()} send; Ctrl-C's SIGINT takes the same
 * path) stops a run or a sweep cleanly: exit code 130, the run in progress recorded as
 * interrupted at its step, its measurements kept under the {@code .partial} name, nothing
 * half-written; a resumed sweep then finishes. The process must end within
 * {@value StopOnSignal#GRACE_MILLIS} ms of the signal by construction (a watchdog); the time it
 * took is printed, not asserted (timing belongs to benchmarks).
 */
class StopTest {
    @TempDir
    Path dir;

    static final String EXPERIMENT = """
            name: stopme
            task: {id: checkerboard, samples: 3000}
            model: {id: mlp, hidden: [64, 2]}
            train:
              phases:
                - {epochs: 200, lr: 0.05, batch: 16}
            probes:
              - {id: usable-information, layers: [hidden1, hidden2], variables: [color, direction], fitSamples: 1000}
            schedule: {every: [{epochs: 0.2}]}
            """;

    private static Map<String, Object> manifest(Path run) {
        try {
            return Json.readObject(run.resolve("manifest.json"));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    private static boolean waitFor(BooleanSupplier condition, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Sends SIGTERM, waits for the end, returns the exit code; prints how long it took. */
    private static int terminate(Process p) throws InterruptedException {
        long t0 = System.nanoTime();
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ended after SIGTERM").isTrue();
        System.out.printf("ended %.0f ms after SIGTERM%n", (System.nanoTime() - t0) / 1e6);
        return p.exitValue();
    }

    private static long lines(Path file) {
        try (Stream<String> s = Files.lines(file)) {
            return s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void sigtermEndsARunAsInterruptedWithItsMeasurementsKept() throws Exception {
        Path exp = Files.writeString(dir.resolve("stopme.yaml"), EXPERIMENT);
        Path out = dir.resolve("out");
        Path log = dir.resolve("run.log");
        Process p = new ProcessBuilder(ChildJvm.infodyn("run", exp.toString(), "--backend", "tf", "--out", out.toString(), "-q",
                "--set", "seeds=[0,1]")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path run = out.resolve("stopme-tf-seed0");
        assertThat(waitFor(() -> lines(run.resolve("metrics.csv.partial")) > 40, p)).as("measuring; log: %s", Files.readString(log))
                .isTrue();
        int code = terminate(p);
        String printed = Files.readString(log);
        assertThat(code).as(printed).isEqualTo(Main.INTERRUPTED);
        assertThat(printed).contains("SIGTERM: stopping", "stopped by SIGTERM", "1 seed not started").doesNotContain("\tat ");

        Map<String, Object> m = manifest(run);
        assertThat(m).containsEntry("status", "interrupted");
        assertThat(((Number) m.get("interrupted_at_step")).longValue()).isPositive();
        assertThat(String.valueOf(m.get("reason"))).startsWith("stopped by SIGTERM after step ");
        assertThat(run.resolve("metrics.csv")).doesNotExist();
        assertThat(run.resolve("metrics.csv.partial")).exists();
        assertThat(run.resolve("checkpoints/final.params")).doesNotExist();
        List<String> rows = Files.readAllLines(run.resolve("metrics.csv.partial"));
        assertThat(rows.get(rows.size() - 1)).as("the last row is whole").matches("([^,]*,){10}[^,]*");
        assertThat(Files.readAllLines(run.resolve("events.jsonl"))).anyMatch(l -> l.contains("\"interrupted\""));
        assertThat(out.resolve("stopme-tf-seed1")).doesNotExist();
    }

    @Test
    void sigtermStopsASweepThatThenResumes() throws Exception {
        Path exp = Files.writeString(dir.resolve("stopme.yaml"), EXPERIMENT.replace("epochs: 200", "epochs: 3") + """
                sweep:
                  train.phases[0].lr: [0.05, 0.02]
                """);
        Path out = dir.resolve("sweep");
        Path log = dir.resolve("sweep.log");
        List<String> cmd = ChildJvm.infodyn("sweep", exp.toString(), "--backend", "tf", "--out", out.toString(), "--parallel", "1", "-q");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path runs = out.resolve("runs");
        assertThat(waitFor(() -> {
            try (Stream<Path> s = Files.list(runs)) {
                return s.anyMatch(r -> lines(r.resolve("metrics.csv.partial")) > 20);
            } catch (IOException e) {
                return false;
            }
        }, p)).as("measuring; log: %s", Files.readString(log)).isTrue();
        int code = terminate(p);
        String printed = Files.readString(log);
        assertThat(code).as(printed).isEqualTo(Main.INTERRUPTED);
        assertThat(printed).contains("sweep stopped by SIGTERM: 1 run interrupted", "--resume");
        assertThat(out.resolve("summary.csv")).doesNotExist();

        List<String> resume = new ArrayList<>(cmd);
        resume.add("--resume");
        Process again = new ProcessBuilder(resume).redirectErrorStream(true).redirectOutput(dir.resolve("resume.log").toFile()).start();
        assertThat(again.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String resumed = Files.readString(dir.resolve("resume.log"));
        assertThat(again.exitValue()).as(resumed).isZero();
        assertThat(resumed).contains("redoing run", "its status is interrupted");
        try (Stream<Path> s = Files.list(runs)) {
            assertThat(s.toList()).hasSize(2).allSatisfy(r -> {
                assertThat(manifest(r)).containsEntry("status", "completed");
                assertThat(r.resolve("metrics.csv")).exists();
            });
        }
        assertThat(out.resolve("summary.csv")).exists();
    }
}
