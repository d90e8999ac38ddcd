package org.infodyn.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Pool2d;
import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.experiment.ExperimentBinder;
import org.infodyn.engine.experiment.ExperimentParser;
import org.infodyn.engine.experiment.Overrides;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.infodyn.engine.output.ParametersFile;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.run.RunPlan;
import org.infodyn.engine.run.RunPlanner;
import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.RunStatus;
import org.infodyn.engine.run.Runner;
import org.infodyn.testkit.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The api's run loop end to end on the reference backend, with test plugins. */
class RunLoopTest {
    @TempDir
    Path dir;

    /** The built-in models, found as a run finds them (the engine reads no plugin module directly). */
    private static final Registry INSTALLED = Registry.load();

    private final Registry registry = Registry.of(List.of(new ReferenceBackend()), List.of(new Fakes.BlobsTask()),
            List.of(new Fakes.MeanProbe()), List.of(INSTALLED.model("mlp", "model.id")));

    private static final String EXPERIMENT = """
            name: blobs
            seeds: [3]
            task: {id: blobs, samples: 120}
            model: {id: mlp, hidden: [6, 3]}
            train:
              phases:
                - {epochs: 2, lr: 0.1, batch: 16}
            probes:
              - {id: mean, layers: [hidden1, hidden2], variables: [sign, tri]}
            schedule: {steps: [0, 1, 3], every: [{epochs: 0.5}]}
            """;

    private Experiment experiment(String text, String... sets) {
        return ExperimentBinder.bind(ExperimentParser.parse(text, "test.yaml", false),
                Overrides.parse(List.of(sets), ExperimentParser::parseValue), "test");
    }

    private RunPlan plan(Experiment e) {
        return new RunPlanner(registry).plan(e, e.seeds().get(0), registry.chooseBackend(Optional.empty(), e.backend(), Optional.empty()));
    }

    private RunResult run(Experiment e, Path out) throws IOException {
        return new Runner(2).run(plan(e), out, RunListener.NONE);
    }

    @Test
    void writesTheRunDirectoryContract() throws IOException {
        RunResult r = run(experiment(EXPERIMENT), dir);
        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        Path run = dir.resolve("blobs-reference-seed3");
        assertThat(r.directory()).isEqualTo(run);
        assertThat(run.resolve("metrics.csv")).exists();
        assertThat(run.resolve("metrics.csv.partial")).doesNotExist();
        assertThat(ParametersFile.read(run.resolve("checkpoints/final.params")).names()).contains("output.weight");

        Map<String, Object> m = Json.readObject(run.resolve("manifest.json"));
        assertThat(m).containsEntry("status", "completed").containsEntry("run_id", "blobs-reference-seed3").containsEntry("seed", 3);
        assertThat(m).containsKeys("infodyn_version", "derived_seeds", "experiment", "backend", "model", "dataset", "training",
                "environment", "started", "finished", "timing");
        @SuppressWarnings("unchecked")
        Map<String, Object> exp = (Map<String, Object>) m.get("experiment");
        assertThat(exp.get("task")).isEqualTo(Map.of("id", "blobs", "samples", 120, "dims", 4)); // defaults filled in
        @SuppressWarnings("unchecked")
        Map<String, Object> training = (Map<String, Object>) m.get("training");
        // 90 train samples / batch 16 → 6 steps per epoch; 2 epochs; points 0, 1, 3 and every half epoch
        assertThat(training.get("probe_steps")).isEqualTo(List.of(0, 1, 3, 6, 9, 12));

        List<MetricRow> rows = MetricsCsv.read(run.resolve("metrics.csv"));
        assertThat(rows).extracting(MetricRow::step).isSorted();
        assertThat(rows.stream().filter(x -> x.probe().equals("mean")).map(MetricRow::step).distinct())
                .containsExactly(0L, 1L, 3L, 6L, 9L, 12L);
        assertThat(rows.stream().filter(x -> x.step() == 6 && x.probe().equals("mean"))).hasSize(2 * 2 * 4);
        assertThat(rows.stream().filter(x -> x.step() == 0 && x.probe().equals("train")).map(MetricRow::metric))
                .containsExactly("heldout_loss", "heldout_accuracy");
        assertThat(rows.stream().filter(x -> x.step() == 6 && x.probe().equals("train")).map(MetricRow::metric))
                .containsExactly("loss", "accuracy", "heldout_loss", "heldout_accuracy");
        MetricRow epochRow = rows.stream().filter(x -> x.step() == 9).findFirst().orElseThrow();
        assertThat(epochRow.epoch()).isEqualTo(1.5);
        // each series is measured in order, once per point
        assertThat(rows.stream().filter(x -> x.metric().equals("calls") && x.step() == 12).mapToDouble(MetricRow::value))
                .containsOnly(6.0);
        assertThat(rows.stream().filter(x -> x.metric().equals("fit_n")).mapToDouble(MetricRow::value)).containsOnly(50.0);

        List<String> events = Files.readAllLines(run.resolve("events.jsonl"));
        assertThat(events.get(0)).contains("\"event\":\"run-started\"");
        assertThat(events.get(1)).contains("\"event\":\"phase-started\"");
        assertThat(events.stream().filter(x -> x.contains("probe-point"))).hasSize(6);
        assertThat(events.get(events.size() - 1)).contains("\"event\":\"run-finished\"").contains("completed");
    }

    @Test
    void sameSeedGivesIdenticalMetrics() throws IOException {
        run(experiment(EXPERIMENT), dir.resolve("a"));
        run(experiment(EXPERIMENT), dir.resolve("b"));
        assertThat(Files.readString(dir.resolve("a/blobs-reference-seed3/metrics.csv")))
                .isEqualTo(Files.readString(dir.resolve("b/blobs-reference-seed3/metrics.csv")));
        run(experiment(EXPERIMENT, "seeds=[4]"), dir.resolve("c"));
        assertThat(Files.readString(dir.resolve("c/blobs-reference-seed4/metrics.csv")).replace("seed4", "seed3").replace(",4,", ",3,"))
                .isNotEqualTo(Files.readString(dir.resolve("a/blobs-reference-seed3/metrics.csv")));
    }

    @Test
    void aDivergingRunIsRecordedWithItsStep() throws IOException {
        RunResult r = run(experiment(EXPERIMENT, "train.phases[0].lr=1e30"), dir);
        assertThat(r.status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(r.stoppedAtStep()).isPresent();
        Map<String, Object> m = Json.readObject(r.directory().resolve("manifest.json"));
        assertThat(m).containsEntry("status", "diverged").containsKey("diverged_at_step");
        assertThat(String.valueOf(m.get("reason"))).contains("step " + r.stoppedAtStep().getAsLong());
        assertThat(r.directory().resolve("metrics.csv")).exists();
        for (MetricRow row : MetricsCsv.read(r.directory().resolve("metrics.csv"))) {
            assertThat(row.step()).isLessThan(r.stoppedAtStep().getAsLong());
        }
    }

    @Test
    void aFailingProbeFailsTheRunWithItsReasonAndKeepsEarlierPoints() throws IOException {
        RunResult r = run(experiment(EXPERIMENT.replace("{id: mean,", "{id: mean, failAt: 6,")), dir);
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.reason()).contains("probe told to fail at step 6");
        Map<String, Object> m = Json.readObject(r.directory().resolve("manifest.json"));
        assertThat(m).containsEntry("status", "failed");
        List<MetricRow> rows = MetricsCsv.read(r.directory().resolve("metrics.csv"));
        assertThat(rows).isNotEmpty().allMatch(row -> row.step() < 6);
    }

    @Test
    void aWarmStartPhaseOnAnotherTargetRebuildsTheHead() throws IOException {
        String text = EXPERIMENT.replace("- {epochs: 2, lr: 0.1, batch: 16}",
                "- {epochs: 1, lr: 0.1, batch: 16, target: tri}\n    - {epochs: 1, lr: 0.1, batch: 30, target: sign, freshHead: true}");
        RunResult r = run(experiment(text), dir);
        assertThat(r.status()).as(r.reason()).isEqualTo(RunStatus.COMPLETED);
        List<MetricRow> rows = MetricsCsv.read(r.directory().resolve("metrics.csv"));
        assertThat(rows.stream().filter(x -> x.probe().equals("train") && x.step() == 6).map(MetricRow::variable)).containsOnly("tri");
        assertThat(rows.stream().filter(x -> x.probe().equals("train") && x.step() == 9).map(MetricRow::variable)).containsOnly("sign");
        assertThat(rows.stream().filter(x -> x.step() == 9).map(MetricRow::phase)).containsOnly(1);
        assertThat(ParametersFile.read(r.directory().resolve("checkpoints/final.params")).get("output.weight").shape())
                .containsExactly(2, 3);
    }

    /**
     * A batch norm over features has no statistics on a batch of one sample (PyTorch refuses the
     * step; other backends would each do something else): refused while planning, naming the phase's
     * batch, the layers (nested ones included) and a batch size that works.
     */
    @Test
    void batchNormOverFeaturesRefusesBatchesThatCanHoldOneSample() {
        Registry withLayers = Registry.of(List.of(new ReferenceBackend()), List.of(new Fakes.BlobsTask()),
                List.of(new Fakes.MeanProbe()), List.of(INSTALLED.model("layers", "model.id")));
        String text = EXPERIMENT.replace("model: {id: mlp, hidden: [6, 3]}", """
                model:
                  id: layers
                  layers:
                    - {kind: dense, units: 6}
                    - {kind: batchnorm, name: bn}
                    - {kind: relu, name: hidden1}
                    - {kind: residual, name: res, body: [{kind: dense, units: 6}, {kind: batchnorm, name: rbn}],
                       shortcut: [{kind: dense, units: 6}, {kind: batchnorm, name: sbn}]}
                    - {kind: relu, name: hidden2}""");
        java.util.function.Function<Experiment, RunPlan> plan = e -> new RunPlanner(withLayers).plan(e, e.seeds().get(0),
                withLayers.chooseBackend(Optional.empty(), e.backend(), Optional.empty()));
        assertThat(plan.apply(experiment(text)).training().totalSteps()).as("batch 16 over 90 samples: last batch of 10").isEqualTo(12);
        assertThatThrownBy(() -> plan.apply(experiment(text, "train.phases[0].batch=1"))).isInstanceOf(ConfigException.class)
                .hasMessage("train.phases[0].batch: batch 1; batch norm over features (layers 'bn', 'rbn', 'sbn') needs at least 2"
                        + " samples in every training batch (PyTorch refuses one); allowed: 2..90 with 90 mod batch ≠ 1, e.g. 2"
                        + " (set by --set train.phases[0].batch=1)");
        assertThatThrownBy(() -> plan.apply(experiment(text, "train.phases[0]={steps: 2, lr: 0.1, batch: 89}")))
                .hasMessageStartingWith("train.phases[0].batch: batch 89 leaves a last batch of 1 sample in every epoch (90 train"
                        + " samples, 90 mod 89 = 1); batch norm over features (layers 'bn', 'rbn', 'sbn')")
                .hasMessageContaining("e.g. 90, or a phase shorter than one epoch (steps < 2)");
        // a phase that ends before its first epoch's last batch never meets it
        assertThat(plan.apply(experiment(text, "train.phases[0]={steps: 1, lr: 0.1, batch: 89}")).training().totalSteps()).isEqualTo(1);
        // a later phase is named as such
        assertThatThrownBy(() -> plan.apply(experiment(text.replace("- {epochs: 2, lr: 0.1, batch: 16}",
                "- {epochs: 2, lr: 0.1, batch: 16}\n    - {epochs: 1, lr: 0.1, batch: 1}"))))
                .hasMessageStartingWith("train.phases[1].batch: batch 1;");
    }

    @Test
    void aProbeAskingForDeviceAlgebraGetsItAtEveryPointOrTheRunIsRefusedBeforeItStarts() throws IOException {
        String asking = EXPERIMENT.replace("{id: mean, layers: [hidden1, hidden2], variables: [sign, tri]}",
                "{id: mean, layers: [hidden1, hidden2], variables: [sign, tri]}\n  - {id: mean, label: plain, layers: [hidden1]}"
                        + "\n  - {id: mean, label: asks, layers: [hidden2], algebra: device}");
        assertThatThrownBy(() -> plan(experiment(asking))).isInstanceOf(ConfigException.class)
                .hasMessage("probes[2].algebra: 'device' asks probe mean for float64 matrix work on the training backend's"
                        + " device, which backend reference does not provide (Backend.algebra); allowed with reference: none;"
                        + " or use a backend that provides it (the built-in djl, tf and dl4j do)");
        assertThat(dir).isEmptyDirectory();

        Registry withAlgebra = Registry.of(List.of(new Fakes.ReferenceWithAlgebra()), List.of(new Fakes.BlobsTask()),
                List.of(new Fakes.MeanProbe()), List.of(INSTALLED.model("mlp", "model.id")));
        Experiment e = experiment(asking);
        RunPlan plan = new RunPlanner(withAlgebra).plan(e, 3, withAlgebra.chooseBackend(Optional.empty(), e.backend(), Optional.empty()));
        RunResult r = new Runner(2).run(plan, dir, RunListener.NONE);
        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        List<MetricRow> rows = MetricsCsv.read(r.directory().resolve("metrics.csv"));
        assertThat(rows).filteredOn(x -> x.metric().equals("algebra") && x.probe().equals("asks")).hasSize(6 * 2)
                .allSatisfy(x -> assertThat(x.value()).isEqualTo(1.0));
        assertThat(rows).filteredOn(x -> x.metric().equals("algebra") && !x.probe().equals("asks")).hasSize(6 * 2 * 2 + 6 * 2)
                .allSatisfy(x -> assertThat(x.value()).as("a probe that did not ask sees none").isEqualTo(0.0));
    }

    @Test
    void configurationErrorsAreFoundBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> plan(experiment(EXPERIMENT.replace("layers: [hidden1, hidden2]", "layers: [hidden9]"))))
                .isInstanceOf(ConfigException.class).hasMessage("probes[0].layers[0]: unknown layer 'hidden9'; model mlp has: "
                        + "dense1, hidden1, dense2, hidden2, output");
        assertThatThrownBy(() -> plan(experiment(EXPERIMENT.replace("variables: [sign, tri]", "variables: [colour]"))))
                .hasMessage("probes[0].variables[0]: unknown variable 'colour'; task blobs has: sign, tri");
        assertThatThrownBy(() -> plan(experiment(EXPERIMENT, "train.phases[0].batch=91")))
                .hasMessageContaining("train.phases[0].batch: batch 91 is larger than the train split (90 samples)");
        assertThatThrownBy(() -> plan(experiment(EXPERIMENT, "train.phases[0].target=colour")))
                .hasMessageContaining("train.phases[0].target: unknown variable 'colour'");
        assertThatThrownBy(() -> plan(experiment(EXPERIMENT, "task.id=mnist")))
                .hasMessage("task.id: unknown task 'mnist'; installed: blobs (set by --set task.id=mnist)");
        assertThatThrownBy(() -> plan(experiment(EXPERIMENT, "probes[0].id=usable")))
                .hasMessageStartingWith("probes[0].id: unknown probe 'usable'; installed: mean");
        assertThatThrownBy(() -> plan(experiment(EXPERIMENT, "model.activation=gelu")))
                .hasMessage("model.activation: unknown value 'gelu'; allowed: relu, tanh (set by --set model.activation=gelu)");
        assertThatThrownBy(() -> plan(experiment(EXPERIMENT, "backend=tf")))
                .hasMessage("backend: unknown backend 'tf'; installed: reference");
        String twoTargets = EXPERIMENT.replace("- {epochs: 2, lr: 0.1, batch: 16}",
                "- {epochs: 1, lr: 0.1, target: tri}\n    - {epochs: 1, lr: 0.1}");
        assertThatThrownBy(() -> plan(experiment(twoTargets))).hasMessageContaining("train.phases[1].freshHead")
                .hasMessageContaining("set freshHead: true");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void probesDefaultToRepresentationLayersAndAllVariables() {
        RunPlan p = plan(experiment(EXPERIMENT.replace(", layers: [hidden1, hidden2], variables: [sign, tri]", "")));
        assertThat(p.probes().get(0).layers()).containsExactly("hidden1", "hidden2");
        assertThat(p.probes().get(0).variables()).containsExactly("sign", "tri");
    }

    /** Makes a network whose pooling layer cannot take the task's flat samples. */
    static final class PoolOnVectorsFactory implements ModelFactory {
        @Override
        public String id() {
            return "pool-on-vectors";
        }

        @Override
        public String description() {
            return "a max-pool straight on flat inputs (does not fit them)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public ModelSpec create(Params params, int[] inputShape, int outputClasses) {
            return new ModelSpec(id(), inputShape, List.of(new Pool2d("pool", Pool2d.Function.MAX, 2, 2), new Dense("output", outputClasses)));
        }
    }

    @Test
    void aModelThatDoesNotFitTheTasksInputsIsAConfigurationError() {
        Registry withImageModels = Registry.of(List.of(new ReferenceBackend()), List.of(new Fakes.BlobsTask()),
                List.of(new Fakes.MeanProbe()), List.of(INSTALLED.model("mlp", "model.id"), INSTALLED.model("all-cnn-c", "model.id"), new PoolOnVectorsFactory()));
        Experiment cnn = experiment(EXPERIMENT.replace("model: {id: mlp, hidden: [6, 3]}", "model: {id: all-cnn-c}")
                .replace("layers: [hidden1, hidden2]", "layers: [act1]"));
        assertThatThrownBy(() -> new RunPlanner(withImageModels).plan(cnn, 3, withImageModels.chooseBackend(Optional.empty(),
                cnn.backend(), Optional.empty())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.id")
                .hasMessageContaining("all-cnn-c needs image inputs [channels, height, width], the task gives [")
                .hasMessageContaining("use the mlp model, or an image encoding of the task");
        // the factory's own layers fail ModelSpec's shape check: reported on model.id, whatever the factory
        Experiment pool = experiment(EXPERIMENT.replace("model: {id: mlp, hidden: [6, 3]}", "model: {id: pool-on-vectors}")
                .replace("layers: [hidden1, hidden2]", "layers: [pool]"));
        assertThatThrownBy(() -> new RunPlanner(withImageModels).plan(pool, 3, withImageModels.chooseBackend(Optional.empty(),
                pool.backend(), Optional.empty())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.id")
                .hasMessageContaining("pool-on-vectors does not fit inputs [");
    }
}
