package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import org.infodyn.engine.output.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Activations out: a run saves its probed layers as NumPy archives at the steps asked for, says
 * how much before writing, refuses steps that are not probe points and files over the bound; and
 * scikit-learn, reading those files with docs/check/independent_estimate.py, gets the same bits
 * as infodyn's linear decoder (where a Python with scikit-learn is installed; .ci/run installs
 * Debian's python3-sklearn).
 */
class ActivationsOutTest {
    static final Path SCRIPT = Path.of("..", "docs", "check", "independent_estimate.py").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path experiment(String activations) throws IOException {
        return experiment(activations, "");
    }

    private Path experiment(String activations, String moreProbes) throws IOException {
        return Files.writeString(dir.resolve("act.yaml"), """
                name: act
                task: {id: checkerboard, samples: 2000}
                model: {id: mlp, hidden: [20, 2]}
                train: {phases: [{epochs: 2, lr: 0.05, batch: 32}]}
                probes: [{id: usable-information, layers: [hidden1, hidden2], variables: [direction, color, config], fitSamples: 1000}%s]
                schedule: {steps: [0, 10, 50]}
                activations: %s
                """.formatted(moreProbes, activations));
    }

    @Test
    void savesTheProbedLayersAsNumpyArchivesAtTheStepsAskedFor() throws IOException {
        Path exp = experiment("{steps: [0, 50, last]}");
        CliHarness.Result dry = CliHarness.run("run", exp.toString(), "--dry-run", "--out", dir.resolve("out").toString());
        assertThat(dry.out()).contains("would save activations of [hidden1, hidden2] at steps [0, 50, 114]:", "MB per run in activations/");
        CliHarness.Result r = CliHarness.run("run", exp.toString(), "--out", dir.resolve("out").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("infodyn: note: saving activations of [hidden1, hidden2] at steps [0, 50, 114]");
        Path run = dir.resolve("out/act-djl-seed0");
        try (var files = Files.list(run.resolve("activations"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("step-0.npz", "step-114.npz", "step-50.npz");
        }
        try (ZipFile zip = new ZipFile(run.resolve("activations/step-50.npz").toFile())) {
            List<String> names = new ArrayList<>();
            zip.stream().forEach(e -> names.add(e.getName()));
            assertThat(names).containsExactly("act_hidden1.npy", "act_hidden2.npy", "label_direction.npy", "label_color.npy",
                    "label_config.npy", "label_coherence.npy", "split.npy", "sample.npy");
            String header = new String(zip.getInputStream(zip.getEntry("act_hidden1.npy")).readNBytes(128), StandardCharsets.ISO_8859_1);
            assertThat(header).startsWith("\u0093NUMPY").contains("'descr': '<f4'", "'shape': (1200, 20)"); // 1,000 fit + 200 held out
        }
        Map<String, Object> manifest = Json.readObject(run.resolve("manifest.json"));
        assertThat(manifest).containsKey("activations");
        assertThat(((Map<?, ?>) manifest.get("activations")).get("steps")).isEqualTo(List.of(0, 50, 114));
    }

    @Test
    void stepsThatAreNotProbePointsAndFilesOverTheBoundAreRefusedBeforeWriting() throws IOException {
        CliHarness.Result step = CliHarness.run("run", experiment("{steps: [0, 7]}").toString(), "--out", dir.resolve("out").toString());
        assertThat(step.exitCode()).as(step.toString()).isEqualTo(2);
        assertThat(step.err()).contains("activations.steps[1]: step 7 is not a probe point of this run; probe points: 0, 10, 14, 29, 43, 50, 57, 71, 86, 100, 114 (or 'last')");
        CliHarness.Result layer = CliHarness.run("run", experiment("{steps: [0], layers: [dense1]}").toString(), "--out",
                dir.resolve("out").toString());
        assertThat(layer.err()).contains("activations.layers[0]: 'dense1' is not a probed layer");
        CliHarness.Result big = CliHarness.run("run", experiment("{steps: [0, 10, 50, last], maxMegabytes: 1}").toString(), "--set",
                "model.hidden=[400, 2]", "--out", dir.resolve("out").toString()); // 1,200 × 402 floats per step: 1.9 MB
        assertThat(big.exitCode()).isEqualTo(2);
        assertThat(big.err()).contains("activations.maxMegabytes: saving 2 layer(s) of 1200 samples at 4 step(s) would write");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void scikitLearnReadingTheSavedActivationsGetsTheSameBits() throws Exception {
        Optional<String> python = pythonWithScikitLearn();
        assumeThat(python).as("a Python with scikit-learn (Debian: python3-sklearn)").isPresent();
        Path exp = experiment("{steps: [0, 10, last]}",
                ", {id: usable-information, label: mlp, decoder: mlp, steps: 200, layers: [hidden2], variables: [direction, color], fitSamples: 1000}");
        CliHarness.Result r = CliHarness.run("run", exp.toString(), "--out", dir.resolve("out").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Process p = new ProcessBuilder(python.get(), SCRIPT.toString(), dir.resolve("out/act-djl-seed0").toString(), "--tolerance", "0.01",
                "--mlp-probe", "mlp", "--mlp-seeds", "2").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("hidden1", "config", ": AGREE", "MLP decoders (probe 'mlp': 64 ReLU units, 200 Adam steps");
        List<String> rows = out.lines().filter(l -> l.matches("\\s+\\d+ hidden.*")).toList();
        assertThat(rows).as(out).hasSize(3 * 2 * 3 + 3 * 2);
        // the MLP rows: infodyn's estimate and scikit-learn's MLPClassifier on the same 2-unit layer
        // (another initialisation, biases not decayed) read the same information to within a tenth of a bit
        for (String row : rows.subList(18, 24)) {
            String[] cols = row.trim().split("\\s+");
            double infodyn = Double.parseDouble(cols[3]);
            double sklearn = Double.parseDouble(cols[6]);
            assertThat(sklearn).as(row).isCloseTo(infodyn, org.assertj.core.api.Assertions.within(0.1));
        }
    }

    private static Optional<String> pythonWithScikitLearn() throws InterruptedException {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import sklearn, numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException notThere) {
                // try the next
            }
        }
        return Optional.empty();
    }
}
