package org.infodyn.tasks.images;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.infodyn.api.random.Rng;

/** Writes tiny datasets in the official binary layouts, for tests. */
final class ImageFiles {
    private ImageFiles() {
    }

    /** IDX images {@code [n, rows, cols]} with pixel (i, p) = (i·7 + p) mod 256. */
    static byte[] idxImages(int n, int rows, int cols) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(IdxReader.IMAGES);
        out.writeInt(n);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < rows * cols; p++) {
                out.writeByte((i * 7 + p) % 256);
            }
        }
        return b.toByteArray();
    }

    /** IDX labels: label of image i is i mod classes. */
    static byte[] idxLabels(int n, int classes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(IdxReader.LABELS);
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeByte(i % classes);
        }
        return b.toByteArray();
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        if (!gzip) {
            return Files.write(file, content);
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
        return file;
    }

    /** A CIFAR batch: records of {@code labelBytes} labels (label j of image i = (i + j) mod classes[j]) then 3,072 pixels. */
    static byte[] cifar(int n, int[] classes, long seed) {
        int record = classes.length + CifarReader.PIXELS;
        byte[] out = new byte[n * record];
        Rng rng = new Rng(seed);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < classes.length; j++) {
                out[i * record + j] = (byte) ((i + j) % classes[j]);
            }
            for (int p = 0; p < CifarReader.PIXELS; p++) {
                out[i * record + classes.length + p] = (byte) rng.nextInt(256);
            }
        }
        return out;
    }
}
