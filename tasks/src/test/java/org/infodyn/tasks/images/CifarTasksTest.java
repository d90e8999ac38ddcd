package org.infodyn.tasks.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR tasks on small files in the official binary layouts. */
class CifarTasksTest {
    @TempDir
    Path dir;

    private static Dataset create(Task t, Map<String, Object> p) {
        return t.create(Params.bind("task", p, t.parameters()), 3);
    }

    @Test
    void cifar10UsesItsBatchesAndTheVehicleAnimalGrouping() throws IOException {
        Path d = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        for (int i = 1; i <= 5; i++) {
            Files.write(d.resolve("data_batch_" + i + ".bin"), ImageFiles.cifar(20, new int[] {10}, i));
        }
        Files.write(d.resolve("test_batch.bin"), ImageFiles.cifar(10, new int[] {10}, 9));
        Dataset ds = create(new Cifar10CoarseTask(), Map.of("data", dir.toString()));
        assertThat(ds.sampleShape()).containsExactly(3, 32, 32);
        assertThat(ds.trainIndices()).hasSize(100);
        assertThat(ds.probeIndices()).hasSize(10);
        int[] fine = ds.variable("fine").orElseThrow().labels();
        int[] coarse = ds.variable("coarse").orElseThrow().labels();
        for (int i = 0; i < ds.size(); i++) {
            boolean vehicle = fine[i] == 0 || fine[i] == 1 || fine[i] == 8 || fine[i] == 9;
            assertThat(coarse[i]).isEqualTo(vehicle ? 0 : 1);
        }
        assertThat(ds.variable("fine").orElseThrow().classNames().get(8)).isEqualTo("ship");
    }

    @Test
    void cifar100UsesTheOfficialSuperclasses() throws IOException {
        Files.write(dir.resolve("train.bin"), ImageFiles.cifar(30, new int[] {20, 100}, 1));
        Files.write(dir.resolve("test.bin"), ImageFiles.cifar(10, new int[] {20, 100}, 2));
        Dataset ds = create(new Cifar100CoarseTask(), Map.of("data", dir.toString(), "perClass", 1L));
        assertThat(ds.variable("coarse").orElseThrow().classes()).isEqualTo(20);
        assertThat(ds.variable("fine").orElseThrow().classes()).isEqualTo(100);
        assertThat(ds.trainIndices()).hasSize(30); // 30 distinct fine classes, one image each
        int[] coarse = ds.variable("coarse").orElseThrow().labels();
        int[] fine = ds.variable("fine").orElseThrow().labels();
        for (int i : ds.trainIndices()) {
            // as written, record i has coarse byte i % 20 and fine byte (i + 1) % 100
            assertThat(coarse[i]).isEqualTo(Math.floorMod(fine[i] - 1, 20));
        }
    }

    @Test
    void aMissingOrWrongFolderIsNamed() throws IOException {
        assertThatThrownBy(() -> create(new Cifar10CoarseTask(), Map.of("data", dir.toString()))).hasMessageContaining("data_batch_1.bin");
        Files.write(dir.resolve("train.bin"), new byte[100]);
        assertThatThrownBy(() -> create(new Cifar100CoarseTask(), Map.of("data", dir.toString()))).hasMessageContaining("train.bin")
                .hasMessageContaining("truncated");
    }
}
