package org.infodyn.tasks.checkerboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.junit.jupiter.api.Test;

class CheckerboardTaskTest {
    private final CheckerboardTask task = new CheckerboardTask();

    private Dataset make(Map<String, Object> fields, long seed) {
        return task.create(Params.bind("task", fields, task.parameters()), seed);
    }

    @Test
    void gridEncodingHas227InputsWithTheRedCountOfItsLabel() {
        Dataset d = make(Map.of("samples", 500L), 3);
        assertThat(d.sampleShape()).containsExactly(227);
        float[] x = d.inputs().data();
        int[] level = d.variable("coherence").orElseThrow().labels();
        int[] config = d.variable("config").orElseThrow().labels();
        for (int i = 0; i < d.size(); i++) {
            int red = 0;
            for (int s = 0; s < 225; s++) {
                assertThat(x[i * 227 + s]).isIn(1f, -1f);
                red += x[i * 227 + s] > 0 ? 1 : 0;
            }
            assertThat(red).isEqualTo(CheckerboardTask.RED_COUNTS[level[i]]);
            // left target red (−1) exactly when config = 0; right target the other colour
            assertThat(x[i * 227 + 225]).isEqualTo(config[i] == 0 ? -1f : 1f);
            assertThat(x[i * 227 + 226]).isEqualTo(-x[i * 227 + 225]);
        }
    }

    @Test
    void directionIsColourXorConfigAndMatchesTheDominantTarget() {
        Dataset d = make(Map.of("samples", 2000L), 1);
        int[] dir = d.variable("direction").orElseThrow().labels();
        int[] col = d.variable("color").orElseThrow().labels();
        int[] cfg = d.variable("config").orElseThrow().labels();
        int[] lvl = d.variable("coherence").orElseThrow().labels();
        for (int i = 0; i < d.size(); i++) {
            assertThat(dir[i]).isEqualTo(col[i] ^ cfg[i]);
            boolean redDominant = CheckerboardTask.RED_COUNTS[lvl[i]] > 112;
            assertThat(col[i]).isEqualTo(redDominant ? 0 : 1);
            boolean leftIsRed = cfg[i] == 0;
            // the reach goes to the target of the dominant colour
            assertThat(dir[i] == 0).isEqualTo(leftIsRed == redDominant);
        }
        assertThat(d.defaultTarget()).isEqualTo("direction");
    }

    @Test
    void colourAndConfigAreBalancedAndIndependent() {
        Dataset d = make(Map.of("samples", 20_000L), 7);
        int[] col = d.variable("color").orElseThrow().labels();
        int[] cfg = d.variable("config").orElseThrow().labels();
        int[][] joint = new int[2][2];
        for (int i = 0; i < d.size(); i++) {
            joint[col[i]][cfg[i]]++;
        }
        for (int[] row : joint) {
            for (int c : row) {
                assertThat(c / 20_000.0).isBetween(0.23, 0.27);
            }
        }
    }

    @Test
    void sameSeedSameDataDifferentSeedDifferentData() {
        Dataset a = make(Map.of("samples", 300L), 11);
        Dataset b = make(Map.of("samples", 300L), 11);
        Dataset c = make(Map.of("samples", 300L), 12);
        assertThat(a.inputs().data()).isEqualTo(b.inputs().data());
        assertThat(a.trainIndices()).isEqualTo(b.trainIndices());
        assertThat(a.variables()).isEqualTo(b.variables());
        assertThat(Arrays.equals(a.inputs().data(), c.inputs().data())).isFalse();
    }

    @Test
    void splitIsDisjointCoversAllAndHasTheRequestedFraction() {
        Dataset d = make(Map.of("samples", 1000L, "probeFraction", 0.2), 5);
        assertThat(d.probeIndices()).hasSize(200);
        assertThat(d.trainIndices()).hasSize(800);
        int[] all = new int[1000];
        System.arraycopy(d.trainIndices(), 0, all, 0, 800);
        System.arraycopy(d.probeIndices(), 0, all, 800, 200);
        Arrays.sort(all);
        for (int i = 0; i < 1000; i++) {
            assertThat(all[i]).isEqualTo(i);
        }
    }

    @Test
    void scalarEncodingFollowsThePaper() {
        Dataset d = make(Map.of("encoding", "scalars", "samples", 200L), 2);
        assertThat(d.sampleShape()).containsExactly(4);
        float[] x = d.inputs().data();
        int[] lvl = d.variable("coherence").orElseThrow().labels();
        for (int i = 0; i < d.size(); i++) {
            float red = (float) (2.0 * CheckerboardTask.RED_COUNTS[lvl[i]] / 225 - 1);
            assertThat(x[i * 4]).isEqualTo(red);
            assertThat(x[i * 4 + 1]).isEqualTo(-red);
            assertThat(x[i * 4 + 3]).isEqualTo(-x[i * 4 + 2]);
        }
    }

    @Test
    void noiseFlipsSquaresOrPerturbsCoherences() {
        Dataset clean = make(Map.of("samples", 200L), 4);
        Dataset noisy = make(Map.of("samples", 200L, "noise", 0.1), 4);
        int[] lvl = noisy.variable("coherence").orElseThrow().labels();
        long mismatches = 0;
        for (int i = 0; i < 200; i++) {
            int red = 0;
            for (int s = 0; s < 225; s++) {
                red += noisy.inputs().data()[i * 227 + s] > 0 ? 1 : 0;
            }
            mismatches += red != CheckerboardTask.RED_COUNTS[lvl[i]] ? 1 : 0;
        }
        assertThat(mismatches).isGreaterThan(150);
        assertThat(clean.variables().get("direction")).isEqualTo(clean.variables().get("direction"));

        Dataset scal = make(Map.of("encoding", "scalars", "samples", 200L, "noise", 0.1), 4);
        float[] x = scal.inputs().data();
        assertThat(x[0] + x[1]).isNotEqualTo(0f);
    }

    @Test
    void imageEncodingIsTheBoardPlusTwoTargetPlanes() {
        Dataset grid = make(Map.of("samples", 50L), 8);
        Dataset image = make(Map.of("samples", 50L, "encoding", "image"), 8);
        assertThat(image.sampleShape()).containsExactly(3, 15, 15);
        float[] g = grid.inputs().data();
        float[] x = image.inputs().data();
        for (int i = 0; i < 50; i++) {
            for (int s = 0; s < 225; s++) {
                assertThat(x[i * 675 + s]).isEqualTo(g[i * 227 + s]); // the same boards
                assertThat(x[i * 675 + 225 + s]).isEqualTo(g[i * 227 + 225]);
                assertThat(x[i * 675 + 450 + s]).isEqualTo(g[i * 227 + 226]);
            }
        }
        assertThat(image.variables()).isEqualTo(grid.variables());
    }

    @Test
    void badParametersNameTheField() {
        assertThatThrownBy(() -> make(Map.of("noise", 0.7), 0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("task.noise").hasMessageContaining("0.7");
        assertThatThrownBy(() -> make(Map.of("encoding", "pixels"), 0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("task.encoding").hasMessageContaining("grid, image, scalars");
        assertThatThrownBy(() -> make(Map.of("samples", 5L), 0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("task.samples").hasMessageContaining("≥ 10");
        assertThatThrownBy(() -> make(Map.of("sampels", 50L), 0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown field 'sampels'").hasMessageContaining("samples");
    }
}
