package org.infodyn.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.infodyn.api.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentReaderTest {
    @TempDir
    Path dir;

    private static final String MINIMAL = """
            task: {id: checkerboard}
            train:
              phases:
                - {epochs: 2, lr: 0.05}
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Experiment read(String text, String... sets) throws IOException {
        return ExperimentReader.read(write("exp.yaml", text), Overrides.parse(List.of(sets), ExperimentParser::parseValue));
    }

    @Test
    void fillsDefaults() throws IOException {
        Experiment e = read(MINIMAL);
        assertThat(e.name()).isEqualTo("exp");
        assertThat(e.seeds()).containsExactly(0L);
        assertThat(e.backend()).isEmpty();
        assertThat(e.device()).as("a GPU where the backend has one, else the CPU").isEqualTo("auto");
        assertThat(e.threads()).isEqualTo(1);
        assertThat(e.model().id()).isEqualTo("mlp");
        PhaseSpec p = e.phases().get(0);
        assertThat(p.batch()).isEqualTo(32);
        assertThat(p.sgd().momentum()).isZero();
        assertThat(p.sgd().weightDecay()).isZero();
        assertThat(p.freshHead()).isFalse();
        assertThat(p.target()).isEmpty();
        assertThat(e.schedule()).isEqualTo(ScheduleSpec.defaults());
        assertThat(e.probes()).isEmpty();
    }

    @Test
    void readsTheDesignExample() throws IOException {
        Experiment e = read("""
                name: checkerboard
                seeds: [0, 1, 2, 3, 4]
                backend: djl
                task:   {id: checkerboard, encoding: grid, samples: 10000, probeFraction: 0.1}
                model:  {id: mlp, hidden: [100, 100, 2]}
                train:
                  phases:
                    - {epochs: 30, lr: 0.05, batch: 32, momentum: 0.0, weightDecay: 0.0}
                    - {steps: 100, lr: 0.01, batch: 64, target: color, freshHead: true}
                probes:
                  - {id: usable-information, decoder: linear, layers: [hidden1, hidden2, hidden3],
                     variables: [direction, color, config]}
                schedule: {steps: [0, 10, 30, 100], every: [{until: 4, epochs: 0.25}, {until: 30, epochs: 1}, {epochs: 5}]}
                """);
        assertThat(e.seeds()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(e.backend()).contains("djl");
        assertThat(e.task().fields()).containsEntry("encoding", "grid").containsEntry("samples", 10000L);
        assertThat(e.model().fields().get("hidden")).isEqualTo(List.of(100L, 100L, 2L));
        assertThat(e.phases()).hasSize(2);
        assertThat(e.phases().get(1).steps()).contains(100L);
        assertThat(e.phases().get(1).target()).contains("color");
        assertThat(e.phases().get(1).freshHead()).isTrue();
        assertThat(e.probes().get(0).label()).isEqualTo("usable-information");
        assertThat(e.probes().get(0).probe().fields()).containsEntry("decoder", "linear");
        assertThat(e.probes().get(0).layers()).containsExactly("hidden1", "hidden2", "hidden3");
        assertThat(e.schedule()).isEqualTo(ScheduleSpec.defaults());
    }

    @Test
    void seedsAcceptARangeAndASingleValue() throws IOException {
        assertThat(read("seeds: \"0..4\"\n" + MINIMAL).seeds()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(read("seeds: 7\n" + MINIMAL).seeds()).containsExactly(7L);
        assertThat(read(MINIMAL, "seeds=2..3").seeds()).containsExactly(2L, 3L);
        assertThatThrownBy(() -> read("seeds: \"4..0\"\n" + MINIMAL)).hasMessageContaining("seeds");
        assertThatThrownBy(() -> read("seeds: [1, 1]\n" + MINIMAL)).hasMessageContaining("repeat");
        assertThatThrownBy(() -> read("seeds: [-1]\n" + MINIMAL)).hasMessageContaining("seeds[0]");
        assertThatThrownBy(() -> read("seeds: []\n" + MINIMAL)).hasMessageContaining("empty");
    }

    @Test
    void unknownFieldIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> read(MINIMAL + "sedes: [1]\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown field 'sedes'").hasMessageContaining("seeds").hasMessageContaining("schedule");
        assertThatThrownBy(() -> read(MINIMAL.replace("lr: 0.05", "lr: 0.05, lrr: 1")))
                .hasMessageStartingWith("train.phases[0].lrr: unknown field 'lrr'").hasMessageContaining("momentum");
    }

    @Test
    void badValuesNameFieldValueAndWhatIsAllowed() throws IOException {
        assertThatThrownBy(() -> read(MINIMAL.replace("lr: 0.05", "lr: 0")))
                .hasMessage("train.phases[0].lr: must be > 0 and finite, got 0");
        assertThatThrownBy(() -> read(MINIMAL.replace("lr: 0.05", "lr: -0.5")))
                .hasMessage("train.phases[0].lr: must be > 0 and finite, got -0.5");
        assertThatThrownBy(() -> read(MINIMAL.replace("lr: 0.05", "lr: 0.05, momentum: 1")))
                .hasMessage("train.phases[0].momentum: must be in [0, 1), got 1");
        assertThatThrownBy(() -> read(MINIMAL.replace("lr: 0.05", "lr: 0.05, weightDecay: -1")))
                .hasMessage("train.phases[0].weightDecay: must be ≥ 0 and finite, got -1");
        assertThatThrownBy(() -> read(MINIMAL, "train.divergence=1"))
                .hasMessage("train.divergence: must be > 1 (a multiple of the first step's loss) or 0 (off), got 1 (set by --set train.divergence=1)");
        assertThat(read(MINIMAL).divergence()).isEqualTo(100);
        assertThat(read(MINIMAL, "train.divergence=0").divergence()).isZero();
        assertThatThrownBy(() -> read(MINIMAL.replace("lr: 0.05", "lr: 0.05, batch: 0")))
                .hasMessage("train.phases[0].batch: must be ≥ 1, got 0");
        assertThatThrownBy(() -> read(MINIMAL.replace("epochs: 2", "epochs: -1")))
                .hasMessage("train.phases[0].epochs: must be ≥ 0, got -1");
        assertThatThrownBy(() -> read(MINIMAL.replace("lr: 0.05", "lr: fast")))
                .hasMessage("train.phases[0].lr: expected a number, got 'fast'");
        assertThatThrownBy(() -> read(MINIMAL.replace("epochs: 2, ", "")))
                .hasMessageContaining("exactly one of 'epochs'");
        assertThatThrownBy(() -> read("device: tpu\n" + MINIMAL)).hasMessageContaining("device").hasMessageContaining("auto, cpu, gpu, gpu:N");
        assertThatThrownBy(() -> read("device: gpu:x\n" + MINIMAL)).hasMessageContaining("'gpu:x'");
        assertThatThrownBy(() -> read("device: gpu:-1\n" + MINIMAL)).hasMessageContaining("'gpu:-1'");
        assertThat(read("device: GPU:3\n" + MINIMAL).device()).isEqualTo("gpu:3");
        assertThatThrownBy(() -> read("name: 'a b'\n" + MINIMAL)).hasMessageContaining("name");
        assertThatThrownBy(() -> read("train: {phases: []}\ntask: {id: x}\n")).hasMessageContaining("at least one phase");
        assertThatThrownBy(() -> read("train: {phases: [{epochs: 1, lr: 1}]}\n")).hasMessageContaining("task");
    }

    @Test
    void syntaxErrorsGiveLineAndColumn() throws IOException {
        Path p = write("broken.yaml", "task: {id: checkerboard\ntrain:\n  phases: [\n");
        assertThatThrownBy(() -> ExperimentReader.read(p)).isInstanceOf(ConfigException.class)
                .hasMessageMatching("(?s).*broken\\.yaml:\\d+:\\d+: YAML syntax error.*");
        Path j = write("broken.json", "{\"task\": {\"id\": \"x\"},}");
        assertThatThrownBy(() -> ExperimentReader.read(j)).hasMessageMatching("(?s).*broken\\.json:1:\\d+: JSON syntax error.*");
        Path dup = write("dup.yaml", MINIMAL + "task: {id: other}\n");
        assertThatThrownBy(() -> ExperimentReader.read(dup)).hasMessageContaining("task");
    }

    @Test
    void missingFileAndDirectoryAreClear() {
        assertThatThrownBy(() -> ExperimentReader.read(dir.resolve("nope.yaml"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not found").hasMessageContaining("nope.yaml");
        assertThatThrownBy(() -> ExperimentReader.read(dir)).isInstanceOf(ConfigException.class);
    }

    @Test
    void readsJson() throws IOException {
        Path p = write("e.json", "{\"task\": {\"id\": \"checkerboard\", \"samples\": 500}, \"train\": {\"phases\": [{\"epochs\": 1, \"lr\": 0.1}]}}");
        Experiment e = ExperimentReader.read(p);
        assertThat(e.name()).isEqualTo("e");
        assertThat(e.task().fields()).containsEntry("samples", 500L);
    }

    @Test
    void overridesAddressTheSameTree() throws IOException {
        Experiment e = read(MINIMAL, "train.phases[0].lr=0.005", "task.noise=0.1", "backend=djl", "model.hidden=[10, 2]",
                "schedule.steps=[0, 5]");
        assertThat(e.phases().get(0).sgd().learningRate()).isEqualTo(0.005);
        assertThat(e.task().fields()).containsEntry("noise", 0.1);
        assertThat(e.backend()).contains("djl");
        assertThat(e.model().fields().get("hidden")).isEqualTo(List.of(10L, 2L));
        assertThat(e.schedule().steps()).containsExactly(0L, 5L);
        assertThat(e.schedule().every()).isEqualTo(ScheduleSpec.defaults().every());
    }

    @Test
    void badOverridesSayWhichOverride() {
        assertThatThrownBy(() -> read(MINIMAL, "train.phases[3].lr=1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("train.phases[3].lr=1").hasMessageContaining("has 1 element");
        assertThatThrownBy(() -> read(MINIMAL, "train.phases[0].lrr=1"))
                .hasMessageContaining("unknown field 'lrr'").hasMessageContaining("set by --set train.phases[0].lrr=1");
        assertThatThrownBy(() -> read(MINIMAL, "train.phases[0].lr=abc"))
                .hasMessageContaining("expected a number, got 'abc'").hasMessageContaining("--set");
        assertThatThrownBy(() -> read(MINIMAL, "lr")).hasMessageContaining("path=value");
        assertThatThrownBy(() -> read(MINIMAL, "a..b=1")).hasMessageContaining("bad path");
    }

    @Test
    void probeLabelsMustBeUnique() {
        String two = MINIMAL + "probes:\n  - {id: usable-information}\n  - {id: usable-information, decoder: mlp}\n";
        assertThatThrownBy(() -> read(two)).hasMessageContaining("probes[1]").hasMessageContaining("label");
        assertThat(Optional.of(1)).isPresent();
    }

    @Test
    void scheduleRulesAreChecked() {
        assertThatThrownBy(() -> read(MINIMAL + "schedule: {every: [{epochs: 0}]}\n")).hasMessageContaining("schedule.every[0].epochs");
        assertThatThrownBy(() -> read(MINIMAL + "schedule: {every: [{epochs: 1}, {epochs: 2}]}\n"))
                .hasMessageContaining("only the last rule");
        assertThatThrownBy(() -> read(MINIMAL + "schedule: {every: [{until: 4, epochs: 1}, {until: 2, epochs: 1}]}\n"))
                .hasMessageContaining("schedule.every[1].until");
        assertThatThrownBy(() -> read(MINIMAL + "schedule: {steps: [-3]}\n")).hasMessageContaining("schedule.steps[0]");
    }
}
