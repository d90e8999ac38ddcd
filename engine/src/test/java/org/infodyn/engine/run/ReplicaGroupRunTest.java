package org.infodyn.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.infodyn.engine.Engine;
import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.experiment.ExperimentBinder;
import org.infodyn.engine.experiment.ExperimentParser;
import org.infodyn.engine.experiment.Overrides;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.testkit.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs trained as one replica group write what they would have written alone, and a run that
 * diverges in a group stops alone. (The backends' batched groups are held to single-model results
 * by the backend compatibility kit; here the portable group checks the run loop's side.)
 */
class ReplicaGroupRunTest {
    @TempDir
    Path dir;

    private static final Registry INSTALLED = Registry.load();
    private final Registry registry = Registry.of(List.of(new ReferenceBackend()), List.of(new Fakes.BlobsTask()),
            List.of(new Fakes.MeanProbe()), List.of(INSTALLED.model("mlp", "model.id")));

    private static final String EXPERIMENT = """
            name: blobs
            seeds: [3, 4, 5]
            task: {id: blobs, samples: 120}
            model: {id: mlp, hidden: [6, 3]}
            train:
              phases:
                - {epochs: 2, lr: 0.1, batch: 16, momentum: 0.5}
                - {steps: 5, lr: 0.05, batch: 16}
            probes:
              - {id: mean, layers: [hidden1, hidden2], variables: [sign, tri]}
            schedule: {steps: [0, 1, 3], every: [{epochs: 0.5}]}
            """;

    private Experiment experiment(String text, String... sets) {
        return ExperimentBinder.bind(ExperimentParser.parse(text, "test.yaml", false),
                Overrides.parse(List.of(sets), ExperimentParser::parseValue), "test");
    }

    private static String metrics(Path parent, String runId) throws IOException {
        return Files.readString(parent.resolve(runId).resolve("metrics.csv"));
    }

    @Test
    void aGroupWritesWhatEachRunWritesAlone() throws IOException {
        Experiment e = experiment(EXPERIMENT);
        List<RunResult> together = Engine.with(registry).withReplicas(3).run(e, dir.resolve("together"));
        List<RunResult> alone = Engine.with(registry).withReplicas(1).run(e, dir.resolve("alone"));
        assertThat(together).extracting(RunResult::status).containsOnly(RunStatus.COMPLETED);
        for (RunResult r : alone) {
            assertThat(metrics(dir.resolve("together"), r.runId())).isEqualTo(metrics(dir.resolve("alone"), r.runId()));
            assertThat(dir.resolve("together").resolve(r.runId()).resolve("checkpoints/final.params")).exists();
        }
        Map<String, Object> m = Json.readObject(dir.resolve("together/blobs-reference-seed4/manifest.json"));
        assertThat(m).containsEntry("replica_group", Map.of("size", 3, "index", 1));
    }

    @Test
    void aRunThatDivergesInAGroupStopsAloneAndItsMatesAreUnchanged() throws IOException {
        // two conditions that differ only in the learning rate share one group; lr 1e6 diverges
        Experiment good = experiment(EXPERIMENT, "seeds=[3]");
        Experiment bad = experiment(EXPERIMENT, "seeds=[3]", "name=bad", "train.phases[0].lr=1000000");
        RunPlanner planner = new RunPlanner(registry);
        Registry.BackendChoice backend = registry.chooseBackend(Optional.empty(), Optional.empty(), Optional.empty());
        List<RunPlan> plans = List.of(planner.plan(good, 3, backend), planner.plan(bad, 3, backend));
        assertThat(ReplicaGroups.incompatibility(plans)).isEmpty();
        List<RunResult> results = new Runner(1).runGroup(plans, dir.resolve("group"), List.of(RunListener.NONE, RunListener.NONE));
        assertThat(results.get(0).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(results.get(1).status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(results.get(1).reason()).contains("train.divergence");
        RunResult alone = new Runner(1).run(planner.plan(good, 3, backend), dir.resolve("alone"), RunListener.NONE);
        assertThat(metrics(dir.resolve("group"), alone.runId())).isEqualTo(metrics(dir.resolve("alone"), alone.runId()));
        assertThat(dir.resolve("group/bad-reference-seed3/checkpoints/final.params")).doesNotExist();
    }

    @Test
    void groupsFollowTheKeyAndTheCap() {
        List<Integer> items = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7));
        Experiment a = experiment(EXPERIMENT);
        Experiment b = experiment(EXPERIMENT, "train.phases[0].batch=20");
        Registry.BackendChoice backend = registry.chooseBackend(Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(ReplicaGroups.Key.of(a, backend)).isEqualTo(ReplicaGroups.Key.of(experiment(EXPERIMENT,
                "train.phases[0].lr=0.3", "train.phases[0].momentum=0.9", "seeds=0..9"), backend));
        assertThat(ReplicaGroups.Key.of(a, backend)).isNotEqualTo(ReplicaGroups.Key.of(b, backend));
        assertThat(ReplicaGroups.split(items, i -> ReplicaGroups.Key.of(i % 2 == 0 ? a : b, backend), 2))
                .containsExactly(List.of(1, 3), List.of(5, 7), List.of(2, 4, 6).subList(0, 1), List.of(4, 6));
        assertThatThrownBy(() -> Engine.with(registry).withReplicas(0)).hasMessageContaining("--replicas must be ≥ 1");
    }
}
