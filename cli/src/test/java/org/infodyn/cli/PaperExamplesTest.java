package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.infodyn.engine.experiment.ExperimentParser;
import org.infodyn.engine.output.Json;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of {@code examples/paper/} runs, in a short version, so that none of them rots: the
 * file's own grid (every condition) with 2 seeds, fewer samples, phases cut to at most one
 * epoch or 100 steps, smaller decoder budgets and Fisher samples. Everything else, probes and phases included, is
 * the file as a user runs it. {@code docs/REPRODUCTION.md} lists the full-length commands.
 */
class PaperExamplesTest {
    static final Path EXAMPLES = Path.of("..", "examples", "paper").toAbsolutePath().normalize();
    static final Path MNIST = Path.of("..", "..", "shared", "data", "mnist-10k").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static Stream<String> files() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
            assertThat(names).as("examples/paper").isNotEmpty();
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void runsShortened(String file) throws IOException {
        Map<String, Object> tree = ExperimentParser.parse(Files.readString(EXAMPLES.resolve(file)), file, false);
        shorten(tree);
        Path json = dir.resolve(file.replaceFirst("\\.yaml$", ".json"));
        Json.write(json, tree);
        CliHarness.Result r = CliHarness.run("sweep", json.toString(), "--out", dir.resolve("out").toString(), "--parallel", "2", "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();

        Map<String, Object> definition = Json.readObject(dir.resolve("out/sweep.json"));
        assertThat(definition).isNotEmpty();
        List<String> extremes = Files.readAllLines(dir.resolve("out/extremes.csv"));
        assertThat(extremes.size()).as("extremes.csv has rows").isGreaterThan(1);
        // every run completed (a shortened run's decoder fits may stop at their budget: flagged, not failed)
        assertThat(Files.readString(dir.resolve("out/report.html"))).contains("<svg").containsPattern("\\d+ runs \\(completed=\\d+\\)");
    }

    /** The short version: see the class comment. */
    @SuppressWarnings("unchecked")
    private static void shorten(Map<String, Object> tree) {
        Map<String, Object> task = (Map<String, Object>) tree.get("task");
        if ("checkerboard".equals(task.get("id"))) {
            task.put("samples", 1200); // 1,080 to train: a batch of 1,024 still fits
        } else {
            assumeThat(MNIST).as("the workspace's MNIST sample").isDirectory();
            task.put("data", MNIST.toString());
            task.put("perClass", 110);
            task.put("probePerClass", 20);
        }
        for (Object p : (List<Object>) ((Map<String, Object>) tree.get("train")).get("phases")) {
            Map<String, Object> phase = (Map<String, Object>) p;
            phase.computeIfPresent("epochs", (k, v) -> Math.min(((Number) v).doubleValue(), 1.0));
            phase.computeIfPresent("steps", (k, v) -> Math.min(((Number) v).longValue(), 100L));
        }
        for (Object p : (List<Object>) tree.get("probes")) {
            Map<String, Object> probe = (Map<String, Object>) p;
            if ("usable-information".equals(probe.get("id"))) {
                probe.put("fitSamples", 300);
            }
            if ("mlp".equals(probe.get("decoder"))) {
                probe.put("steps", 30);
            }
            if ("fisher".equals(probe.get("id"))) {
                probe.put("samples", 50);
            }
        }
        tree.remove("seeds");
        Map<String, Object> sweep = new LinkedHashMap<>((Map<String, Object>) tree.get("sweep"));
        sweep.put("seeds", "0..1");
        for (Map.Entry<String, Object> axis : sweep.entrySet()) {
            if (axis.getKey().endsWith(".epochs") || axis.getKey().endsWith(".steps")) {
                boolean epochs = axis.getKey().endsWith(".epochs");
                LinkedHashSet<Object> cut = new LinkedHashSet<>();
                for (Object v : (List<Object>) axis.getValue()) {
                    cut.add(epochs ? (Object) Math.min(((Number) v).doubleValue(), 1.0) : (Object) Math.min(((Number) v).longValue(), 100L));
                }
                axis.setValue(new ArrayList<>(cut));
            }
        }
        tree.put("sweep", sweep);
    }
}
