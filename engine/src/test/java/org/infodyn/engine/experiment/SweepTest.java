package org.infodyn.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.infodyn.api.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
    @TempDir
    Path dir;

    private static final String BASE = """
            name: cb
            task: {id: checkerboard}
            train:
              phases:
                - {epochs: 2, lr: 0.05, batch: 32}
            """;

    private Sweep read(String text, String... sets) throws IOException {
        Path p = Files.writeString(dir.resolve("s.yaml"), text);
        return ExperimentReader.readSweep(p, Overrides.parse(List.of(sets), ExperimentParser::parseValue));
    }

    @Test
    void expandsTheGridInFileOrderFirstAxisSlowest() throws IOException {
        Sweep s = read(BASE + """
                sweep:
                  train.phases[0].lr: [0.05, 0.005]
                  train.phases[0].batch: [32, 1024]
                  seeds: 0..4
                """);
        assertThat(s.axes()).extracting(SweepAxis::label).containsExactly("lr", "batch");
        assertThat(s.conditions()).extracting(Sweep.Condition::id)
                .containsExactly("lr0.05_batch32", "lr0.05_batch1024", "lr0.005_batch32", "lr0.005_batch1024");
        Sweep.Condition c = s.conditions().get(2);
        assertThat(c.describe()).isEqualTo("lr=0.005, batch=32");
        assertThat(c.experiment().name()).isEqualTo("cb_lr0.005_batch32");
        assertThat(c.experiment().phases().get(0).sgd().learningRate()).isEqualTo(0.005);
        assertThat(c.experiment().phases().get(0).batch()).isEqualTo(32);
        assertThat(c.experiment().seeds()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(s.runCount()).isEqualTo(20);
        assertThat(s.base().phases().get(0).sgd().learningRate()).isEqualTo(0.05);
    }

    @Test
    void anyFieldCanBeAnAxisAndClashingLabelsUseThePath() throws IOException {
        Sweep s = read(BASE + """
                sweep:
                  backend: [djl, tf]
                  task.noise: [0, 0.1]
                  model.hidden: [[100, 2], [100, 100, 2]]
                """);
        assertThat(s.conditions()).hasSize(8);
        assertThat(s.conditions().get(0).experiment().backend()).contains("djl");
        assertThat(s.conditions().get(7).experiment().task().fields()).containsEntry("noise", 0.1);
        assertThat(s.conditions().get(1).id()).isEqualTo("backenddjl_noise0_hidden100x100x2");
        Sweep t = read(BASE.replace("- {epochs: 2, lr: 0.05, batch: 32}", "- {epochs: 2, lr: 0.05}\n    - {epochs: 1, lr: 0.05}") + """
                sweep:
                  train.phases[0].lr: [0.1]
                  train.phases[1].lr: [0.2]
                """);
        assertThat(t.axes()).extracting(SweepAxis::label).containsExactly("train-phases-0-lr", "train-phases-1-lr");
    }

    @Test
    void badAxesAreNamed() {
        assertThatThrownBy(() -> read(BASE + "sweep:\n  train.phases[0].lrr: [1, 2]\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown field 'lrr'").hasMessageContaining("set by sweep train.phases[0].lrr=1");
        assertThatThrownBy(() -> read(BASE + "sweep:\n  train.phases[0].lr: []\n")).hasMessageContaining("sweep.train.phases[0].lr")
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> read(BASE + "sweep:\n  train.phases[0].lr: [0, 1]\n")).hasMessageContaining("must be > 0");
        assertThatThrownBy(() -> read(BASE + "sweep:\n  train.phases[5].lr: [1]\n")).hasMessageContaining("has 1 element");
        assertThatThrownBy(() -> read(BASE + "sweep:\n  train.phases[0].lr: [1, 1]\n")).hasMessageContaining("repeat");
        assertThatThrownBy(() -> read(BASE)).hasMessageContaining("no sweep block");
    }

    @Test
    void aPlainRunRefusesASweepFile() throws IOException {
        Path p = Files.writeString(dir.resolve("s.yaml"), BASE + "sweep:\n  train.phases[0].lr: [1, 2]\n");
        assertThatThrownBy(() -> ExperimentReader.read(p)).hasMessageContaining("infodyn sweep");
    }

    @Test
    void commandLineOverridesApplyToEveryCondition() throws IOException {
        Sweep s = read(BASE + "sweep:\n  train.phases[0].lr: [1, 2]\n", "train.phases[0].batch=64");
        assertThat(s.conditions()).allMatch(c -> c.experiment().phases().get(0).batch() == 64);
    }

    @Test
    void aCommandLineSeedListWinsOverTheSweepBlocksButAnAxisCannotBeOverridden() throws IOException {
        Sweep s = read(BASE + "sweep:\n  train.phases[0].lr: [1, 2]\n  seeds: 0..4\n", "seeds=0..1");
        assertThat(s.conditions()).allMatch(c -> c.experiment().seeds().equals(List.of(0L, 1L)));
        assertThat(read(BASE + "sweep:\n  train.phases[0].lr: [1, 2]\n  seeds: 0..4\n").base().seeds()).hasSize(5);
        // the grid would silently replace the value in every condition: refuse and say why
        assertThatThrownBy(() -> read(BASE + "sweep:\n  train.phases[0].lr: [1, 2]\n", "train.phases[0].lr=0.1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sweep.train.phases[0].lr")
                .hasMessageContaining("is an axis of the sweep").hasMessageContaining("--set train.phases[0].lr=0.1");
    }
}
