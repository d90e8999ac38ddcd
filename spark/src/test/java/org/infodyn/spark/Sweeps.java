package org.infodyn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.infodyn.cli.Main;
import org.infodyn.engine.output.Json;

/** What the Spark tests share: their sweeps, the command line in this JVM, and the comparison of two sweep folders. */
final class Sweeps {
    private Sweeps() {
    }

    /** The options every Spark sweep of the tests takes: loopback only, no web UI. */
    static final List<String> LOOPBACK = List.of("--spark-conf", "spark.driver.host=127.0.0.1", "--spark-conf",
            "spark.driver.bindAddress=127.0.0.1", "--spark-conf", "spark.ui.enabled=false");

    /** A 2-condition × 2-seed sweep of the main job, small enough for CI. */
    static Path grid(Path dir, int samples, int epochs) throws IOException {
        return Files.writeString(dir.resolve("grid.yaml"), """
                name: grid
                task: {id: checkerboard, samples: %d}
                model: {id: mlp, hidden: [24, 24, 2]}
                train: {phases: [{epochs: %d, lr: 0.05, batch: 32}]}
                probes: [{id: usable-information, layers: [hidden1, hidden3], variables: [direction, color], fitSamples: 500}]
                schedule: {steps: [0, 20], every: [{epochs: 5}]}
                backend: djl
                sweep:
                  train.phases[0].lr: [0.05, 0.01]
                  seeds: 0..1
                """.formatted(samples, epochs));
    }

    /** The command line in this JVM. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result infodyn(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static List<String> args(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof List<?> l) {
                l.forEach(x -> out.add(String.valueOf(x)));
            } else {
                out.add(String.valueOf(p));
            }
        }
        return out;
    }

    /**
     * Asserts that two sweep folders hold the same results: summary.csv, extremes.csv and every
     * run's metrics.csv byte for byte, the same files, and sweep.json but for its creation time.
     */
    static void assertSameResults(Path actual, Path expected) throws IOException {
        for (String f : List.of("summary.csv", "extremes.csv")) {
            assertThat(Files.readAllBytes(actual.resolve(f))).as(f).isEqualTo(Files.readAllBytes(expected.resolve(f)));
        }
        List<String> runs = runIds(expected);
        assertThat(runIds(actual)).isEqualTo(runs);
        for (String run : runs) {
            assertThat(Files.readAllBytes(actual.resolve("runs").resolve(run).resolve("metrics.csv"))).as(run + " metrics.csv")
                    .isEqualTo(Files.readAllBytes(expected.resolve("runs").resolve(run).resolve("metrics.csv")));
        }
        assertThat(files(actual)).as("the same files").isEqualTo(files(expected));
        Map<String, Object> a = Json.readObject(actual.resolve("sweep.json"));
        Map<String, Object> e = Json.readObject(expected.resolve("sweep.json"));
        a.remove("created");
        e.remove("created");
        assertThat(a).as("sweep.json but its creation time").isEqualTo(e);
    }

    static List<String> runIds(Path sweep) throws IOException {
        try (Stream<Path> s = Files.list(sweep.resolve("runs"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every file and folder under a sweep, relative, sorted. */
    static List<String> files(Path sweep) throws IOException {
        try (Stream<Path> s = Files.walk(sweep)) {
            return s.map(p -> sweep.relativize(p).toString()).sorted().toList();
        }
    }
}
