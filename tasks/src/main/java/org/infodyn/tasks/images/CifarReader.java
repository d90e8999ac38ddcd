package org.infodyn.tasks.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.infodyn.api.config.ConfigException;

/**
 * Reads the official binary versions of CIFAR-10 ({@code data_batch_1.bin} … {@code test_batch.bin}:
 * per image 1 label byte + 3,072 pixel bytes) and CIFAR-100 ({@code train.bin}, {@code test.bin}:
 * coarse label byte, fine label byte, 3,072 pixel bytes). Pixels are channel-major (1,024 red,
 * then green, then blue), 32×32 row-major, exactly the channels-first layout infodyn uses.
 */
public final class CifarReader {
    /** Pixel bytes per image. */
    public static final int PIXELS = 3 * 32 * 32;

    private CifarReader() {
    }

    /**
     * The records of one file.
     *
     * @param count images
     * @param labels per label byte of the format: {@code labels[j][i]} is label j of image i
     * @param pixels {@code count × 3,072} unsigned bytes
     */
    public record Batch(int count, int[][] labels, byte[] pixels) {
    }

    /**
     * Reads one file.
     *
     * @param labelBytes 1 (CIFAR-10) or 2 (CIFAR-100: coarse, fine)
     * @param classes the class count of each label byte, for range checks
     */
    public static Batch read(Path file, int labelBytes, int[] classes) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("missing data file: " + file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        int record = labelBytes + PIXELS;
        if (raw.length == 0 || raw.length % record != 0) {
            long whole = raw.length / record;
            throw new ConfigException(file + ": truncated at byte offset " + (whole * record) + ": " + raw.length
                    + " bytes is not a whole number of " + record + "-byte records (" + labelBytes + " label byte"
                    + (labelBytes == 1 ? "" : "s") + " + " + PIXELS + " pixels); is this the right CIFAR variant?");
        }
        int n = raw.length / record;
        int[][] labels = new int[labelBytes][n];
        byte[] pixels = new byte[n * PIXELS];
        for (int i = 0; i < n; i++) {
            int base = i * record;
            for (int j = 0; j < labelBytes; j++) {
                int v = raw[base + j] & 0xff;
                if (v >= classes[j]) {
                    throw new ConfigException(file + ": label " + v + " at byte offset " + (base + j) + " is outside 0.." + (classes[j] - 1)
                            + " (record " + i + ")");
                }
                labels[j][i] = v;
            }
            System.arraycopy(raw, base + labelBytes, pixels, i * PIXELS, PIXELS);
        }
        return new Batch(n, labels, pixels);
    }
}
