package org.infodyn.tasks.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.task.Task;
import org.infodyn.testkit.TaskCompatibilityKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mnist-coarse on the workspace's real MNIST sample (10,000 digits), against the Task contract and by hand. */
class MnistCoarseTaskTest extends TaskCompatibilityKit {
    /** The shared real-data folder, relative to the module (the reactor root is the module's parent). */
    static final Path MNIST = Path.of("..", "..", "shared", "data", "mnist-10k").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Override
    protected Task task() {
        return new MnistCoarseTask();
    }

    @Override
    protected Map<String, Object> parameters() {
        org.assertj.core.api.Assumptions.assumeThat(MNIST).isDirectory();
        return Map.of("data", MNIST.toString(), "perClass", 30L, "probePerClass", 10L);
    }

    private Dataset create(Map<String, Object> p, long seed) {
        return task().create(Params.bind("task", p, task().parameters()), seed);
    }

    @Test
    void coarseLabelsFollowTheMappingAndInputsAreNormalised() {
        Dataset d = create(parameters(), 1);
        assertThat(d.sampleShape()).containsExactly(1, 28, 28);
        int[] fine = d.variable("fine").orElseThrow().labels();
        int[] coarse = d.variable("coarse").orElseThrow().labels();
        for (int i = 0; i < d.size(); i++) {
            assertThat(coarse[i]).isEqualTo(fine[i] < 5 ? 0 : 1);
        }
        assertThat(d.variable("coarse").orElseThrow().classNames()).containsExactly("0-4", "5-9");
        // at most perClass training images per digit
        int[] perDigit = new int[10];
        for (int i : d.trainIndices()) {
            perDigit[fine[i]]++;
        }
        assertThat(perDigit).containsOnly(30);
        double mean = 0;
        for (float v : d.inputs().data()) {
            mean += v;
        }
        mean /= d.inputs().data().length;
        assertThat(mean).isBetween(-0.3, 0.3); // standardised with MNIST's usual mean and sd
    }

    @Test
    void aCustomMappingIsValidated() {
        Map<String, Object> p = new HashMap<>(parameters());
        p.put("coarse", List.of(0L, 1L, 2L, 0L, 1L, 2L, 0L, 1L, 2L, 0L));
        assertThat(create(p, 1).variable("coarse").orElseThrow().classes()).isEqualTo(3);
        p.put("coarse", List.of(0L, 1L, 0L));
        assertThatThrownBy(() -> create(p, 1)).hasMessageContaining("task.coarse").hasMessageContaining("10 fine classes");
        p.put("coarse", List.of(0L, 2L, 0L, 2L, 0L, 2L, 0L, 2L, 0L, 2L));
        assertThatThrownBy(() -> create(p, 1)).hasMessageContaining("numbered 0..K−1");
    }

    @Test
    void officialSplitFilesAreUsedWhenPresent() throws IOException {
        ImageFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), ImageFiles.idxImages(40, 28, 28), true);
        ImageFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), ImageFiles.idxLabels(40, 10), true);
        ImageFiles.write(dir.resolve("t10k-images-idx3-ubyte"), ImageFiles.idxImages(20, 28, 28), false);
        ImageFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), ImageFiles.idxLabels(20, 10), false);
        Dataset d = create(Map.of("data", dir.toString()), 0);
        assertThat(d.trainIndices()).hasSize(40);
        assertThat(d.probeIndices()).hasSize(20);
    }

    @Test
    void missingFilesAndFoldersAreNamed() throws IOException {
        assertThatThrownBy(() -> create(Map.of("data", dir.resolve("nope").toString()), 0)).hasMessageContaining("task.data")
                .hasMessageContaining("no such folder");
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> create(Map.of("data", dir.resolve("empty").toString()), 0)).hasMessageContaining("holds no MNIST files")
                .hasMessageContaining("train-images-idx3-ubyte");
    }
}
