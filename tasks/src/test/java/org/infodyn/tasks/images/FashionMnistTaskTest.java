package org.infodyn.tasks.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.assertj.core.api.Assumptions;
import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.Variable;
import org.infodyn.api.task.Task;
import org.infodyn.testkit.TaskCompatibilityKit;
import org.junit.jupiter.api.Test;

/** fashion-mnist on the real 70,000 images of Debian's dataset-fashion-mnist package (skipped where it is not installed). */
class FashionMnistTaskTest extends TaskCompatibilityKit {
    private static final Path DEBIAN = Path.of(FashionMnistTask.DEBIAN_FOLDER);

    @Override
    protected Task task() {
        return new FashionMnistTask();
    }

    @Override
    protected Map<String, Object> parameters() {
        Assumptions.assumeThat(DEBIAN).as("Debian's dataset-fashion-mnist package").isDirectory();
        return Map.of("perClass", 20L, "probePerClass", 10L);
    }

    @Test
    void readsTheRealFilesWithTheCoarseGrouping() {
        Dataset d = task().create(Params.bind("task", parameters(), task().parameters()), 1);
        assertThat(d.sampleShape()).containsExactly(1, 28, 28);
        assertThat(d.trainIndices()).hasSize(200);
        assertThat(d.probeIndices()).hasSize(100);
        Variable coarse = d.variable("coarse").orElseThrow();
        Variable fine = d.variable("fine").orElseThrow();
        assertThat(coarse.classNames()).containsExactly("tops", "long", "footwear", "bags");
        assertThat(fine.classNames()).hasSize(10).startsWith("t-shirt", "trouser");
        int[] ofFine = {0, 1, 0, 1, 0, 2, 0, 2, 3, 2};
        for (int i = 0; i < d.size(); i++) {
            assertThat(coarse.labels()[i]).isEqualTo(ofFine[fine.labels()[i]]);
        }
    }

    @Test
    void aMissingFolderSaysHowToInstallIt() {
        assertThatThrownBy(() -> task().create(Params.bind("task", Map.of("data", "/nonexistent/fashion"), task().parameters()), 1))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("task.data: no such folder: /nonexistent/fashion")
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
    }
}
