package org.infodyn.tasks.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.infodyn.api.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The format readers on files written in the official layouts, whole and damaged. */
class ReadersTest {
    @TempDir
    Path dir;

    @Test
    void readsIdxWithAndWithoutGzip() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path img = ImageFiles.write(dir.resolve("img" + gz), ImageFiles.idxImages(5, 3, 4), gz);
            Path lab = ImageFiles.write(dir.resolve("lab" + gz), ImageFiles.idxLabels(5, 10), gz);
            IdxReader.Images images = IdxReader.images(img);
            assertThat(images.count()).isEqualTo(5);
            assertThat(images.rows()).isEqualTo(3);
            assertThat(images.cols()).isEqualTo(4);
            assertThat(images.pixels()[1 * 12 + 2] & 0xff).isEqualTo(9);
            assertThat(IdxReader.labels(lab, 10)).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void damagedIdxFilesNameTheFileAndTheOffset() throws IOException {
        byte[] good = ImageFiles.idxImages(5, 3, 4);
        byte[] wrongMagic = good.clone();
        wrongMagic[3] = 0x01;
        Path f = ImageFiles.write(dir.resolve("magic"), wrongMagic, false);
        assertThatThrownBy(() -> IdxReader.images(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("wrong magic number 0x00000801 at byte offset 0");
        Path t = ImageFiles.write(dir.resolve("truncated"), Arrays.copyOf(good, good.length - 7), true);
        assertThatThrownBy(() -> IdxReader.images(t)).hasMessageContaining("truncated at byte offset " + (good.length - 7));
        // a .gz file cut short by one byte: the data is whole but the gzip trailer is not
        byte[] gz = Files.readAllBytes(ImageFiles.write(dir.resolve("whole"), good, true));
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 1));
        assertThatThrownBy(() -> IdxReader.images(cut)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(cut + ": the gzip data ends early or is corrupt").hasMessageContaining("download or copy it again")
                .hasMessageNotContaining("null");
        Path h = ImageFiles.write(dir.resolve("header"), Arrays.copyOf(good, 2), false);
        assertThatThrownBy(() -> IdxReader.images(h)).hasMessageContaining("truncated at byte offset 0");
        byte[] labels = ImageFiles.idxLabels(5, 10);
        labels[8 + 3] = 12;
        Path l = ImageFiles.write(dir.resolve("labels"), labels, false);
        assertThatThrownBy(() -> IdxReader.labels(l, 10)).hasMessageContaining("label 12 at byte offset 11 is outside 0..9");
        assertThatThrownBy(() -> IdxReader.images(dir.resolve("absent"))).hasMessageContaining("missing data file").hasMessageContaining("absent");
    }

    @Test
    void readsCifarRecordsAndRejectsDamagedOnes() throws IOException {
        Path ten = Files.write(dir.resolve("data_batch_1.bin"), ImageFiles.cifar(4, new int[] {10}, 1));
        CifarReader.Batch b = CifarReader.read(ten, 1, new int[] {10});
        assertThat(b.count()).isEqualTo(4);
        assertThat(b.labels()[0]).containsExactly(0, 1, 2, 3);
        Path hundred = Files.write(dir.resolve("train.bin"), ImageFiles.cifar(3, new int[] {20, 100}, 2));
        CifarReader.Batch c = CifarReader.read(hundred, 2, new int[] {20, 100});
        assertThat(c.labels()[0]).containsExactly(0, 1, 2);
        assertThat(c.labels()[1]).containsExactly(1, 2, 3);
        // a CIFAR-100 file read as CIFAR-10 does not divide into records
        assertThatThrownBy(() -> CifarReader.read(hundred, 1, new int[] {10})).hasMessageContaining("truncated at byte offset")
                .hasMessageContaining("right CIFAR variant");
        byte[] bad = ImageFiles.cifar(2, new int[] {10}, 3);
        bad[3073] = 10; // label byte of record 1
        Path badLabel = Files.write(dir.resolve("bad.bin"), bad);
        assertThatThrownBy(() -> CifarReader.read(badLabel, 1, new int[] {10})).hasMessageContaining("label 10 at byte offset 3073")
                .hasMessageContaining("record 1");
    }

    @Test
    void readsTheRealMnistSample() {
        Path data = MnistCoarseTaskTest.MNIST;
        org.assertj.core.api.Assumptions.assumeThat(data.resolve("images-idx3-ubyte.gz")).exists();
        IdxReader.Images img = IdxReader.images(data.resolve("images-idx3-ubyte.gz"));
        int[] labels = IdxReader.labels(data.resolve("labels-idx1-ubyte.gz"), 10);
        assertThat(img.count()).isEqualTo(10_000);
        assertThat(img.rows()).isEqualTo(28);
        int[] counts = new int[10];
        for (int y : labels) {
            counts[y]++;
        }
        // the class counts its README documents
        assertThat(counts).containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
    }
}
