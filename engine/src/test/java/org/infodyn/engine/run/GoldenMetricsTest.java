package org.infodyn.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

import org.infodyn.api.backend.Backend;
import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.experiment.ExperimentBinder;
import org.infodyn.engine.experiment.ExperimentParser;
import org.infodyn.engine.experiment.Overrides;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.run.RunListener;
import org.infodyn.engine.run.RunPlanner;
import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.RunStatus;
import org.infodyn.engine.run.Runner;
import org.infodyn.testkit.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.csv of a fixed experiment on the plain-Java reference backend, byte for byte. */
class GoldenMetricsTest {
    static final String EXPERIMENT = """
            name: golden
            seeds: [1]
            task: {id: checkerboard, encoding: grid, samples: 1500, probeFraction: 0.2}
            model: {id: mlp, hidden: [32, 16, 2]}
            train:
              phases:
                - {epochs: 2, lr: 0.05, batch: 32, momentum: 0.9, weightDecay: 0.0001}
                - {steps: 40, lr: 0.02, batch: 16, target: color, freshHead: true}
            probes:
              - {id: usable-information, decoder: linear, fitSamples: 600, layers: [hidden1, hidden2, hidden3],
                 variables: [direction, color, config]}
              - {id: usable-information, label: ui-mlp, decoder: mlp, fitSamples: 600, steps: 60, layers: [hidden3],
                 variables: [color]}
            """;

    @TempDir
    Path dir;

    static Path runGolden(Path out) throws IOException {
        Registry installed = Registry.load();
        Registry registry = Registry.of(List.of((Backend) new ReferenceBackend()), List.copyOf(installed.tasks().values()),
                List.copyOf(installed.probes().values()), List.copyOf(installed.models().values()));
        Experiment e = ExperimentBinder.bind(ExperimentParser.parse(EXPERIMENT, "golden.yaml", false), Overrides.none(), "golden");
        RunResult r = new Runner(2).run(new RunPlanner(registry).plan(e, 1,
                registry.chooseBackend(Optional.empty(), Optional.empty(), Optional.empty())), out, RunListener.NONE);
        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        return r.directory().resolve("metrics.csv");
    }

    /**
     * The golden file changes only on purpose (a new metric, a changed estimator), never silently:
     * after such a change, {@code mvn -o -pl engine test -Dtest=GoldenMetricsTest
     * -Dinfodyn.golden.update=true} rewrites it (and fails, so that it cannot pass unnoticed), and
     * the commit shows the difference.
     */
    @Test
    void metricsAreByteIdenticalToTheGoldenFile() throws IOException {
        Path metrics = runGolden(dir);
        Path golden = Path.of("src/test/resources/golden/golden-reference-seed1.metrics.csv");
        if (Boolean.getBoolean("infodyn.golden.update")) {
            Files.copy(metrics, golden, StandardCopyOption.REPLACE_EXISTING);
            throw new AssertionError("golden file rewritten: " + golden.toAbsolutePath() + "; review the difference and run again");
        }
        assertThat(Files.readString(metrics)).isEqualTo(Files.readString(golden));
    }
}
