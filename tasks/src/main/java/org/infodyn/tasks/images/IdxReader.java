package org.infodyn.tasks.images;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.infodyn.api.config.ConfigException;

/**
 * Reads MNIST / Fashion-MNIST files in the IDX format (gzip or not): a big-endian header — magic
 * {@code 0x00000803} for images ({@code [n, rows, cols]} unsigned bytes) or {@code 0x00000801} for
 * labels ({@code [n]}) — followed by the data. Every defect is a {@link ConfigException} naming the
 * file and the byte offset.
 */
public final class IdxReader {
    /** Magic number of an unsigned-byte 3-D IDX file (images). */
    public static final int IMAGES = 0x00000803;
    /** Magic number of an unsigned-byte 1-D IDX file (labels). */
    public static final int LABELS = 0x00000801;

    private IdxReader() {
    }

    /**
     * Images as raw bytes.
     *
     * @param file the images file
     * @return {@code [n][rows·cols]} pixel values 0..255 as unsigned bytes, with the dimensions
     */
    public static Images images(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = header(in, file, IMAGES, "images (0x00000803)");
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (n < 0 || rows <= 0 || cols <= 0 || (long) rows * cols > 1 << 24) {
                throw new ConfigException(file + ": impossible dimensions " + n + "×" + rows + "×" + cols + " in the header (bytes 4–15)");
            }
            byte[] pixels = new byte[Math.multiplyExact(n, rows * cols)];
            readFully(in, pixels, file, 16);
            checkEnd(in, file, 16L + pixels.length);
            return new Images(n, rows, cols, pixels, magic);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * Labels.
     *
     * @param classes labels must lie in {@code [0, classes)}
     */
    public static int[] labels(Path file, int classes) {
        try (DataInputStream in = open(file)) {
            header(in, file, LABELS, "labels (0x00000801)");
            int n = in.readInt();
            if (n < 0) {
                throw new ConfigException(file + ": negative count " + n + " in the header (bytes 4–7)");
            }
            byte[] raw = new byte[n];
            readFully(in, raw, file, 8);
            checkEnd(in, file, 8L + n);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = raw[i] & 0xff;
                if (out[i] >= classes) {
                    throw new ConfigException(file + ": label " + out[i] + " at byte offset " + (8 + i) + " is outside 0.." + (classes - 1));
                }
            }
            return out;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * An I/O failure in words. The gzip decoder meets the end of a cut-short file as an
     * {@link EOFException} (often without a message) or a {@link ZipException}: the file is
     * incomplete, which is what the user needs to hear.
     */
    private static ConfigException unreadable(Path file, IOException e) {
        if (e instanceof EOFException || e instanceof ZipException) {
            return new ConfigException(file + ": the gzip data ends early or is corrupt (" + (e.getMessage() == null ? "unexpected end"
                    : e.getMessage()) + "); the file is incomplete: download or copy it again", e);
        }
        return new ConfigException(file + ": cannot read (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                + ")", e);
    }

    /** Decoded images: {@code n} images of {@code rows × cols} unsigned bytes, row-major. */
    public record Images(int count, int rows, int cols, byte[] pixels, int magic) {
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new ConfigException("missing data file: " + file);
        }
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return new DataInputStream(raw);
    }

    private static int header(DataInputStream in, Path file, int expected, String what) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new ConfigException(file + ": truncated at byte offset 0: the file ends inside the header");
        }
        if (magic != expected) {
            throw new ConfigException(String.format("%s: wrong magic number 0x%08x at byte offset 0; expected IDX %s", file, magic, what));
        }
        return magic;
    }

    private static void readFully(DataInputStream in, byte[] into, Path file, long offset) throws IOException {
        int done = 0;
        while (done < into.length) {
            int r = in.read(into, done, into.length - done);
            if (r < 0) {
                throw new ConfigException(file + ": truncated at byte offset " + (offset + done) + "; the header promises "
                        + (offset + into.length) + " bytes");
            }
            done += r;
        }
    }

    private static void checkEnd(DataInputStream in, Path file, long expected) throws IOException {
        if (in.read() >= 0) {
            throw new ConfigException(file + ": unexpected data after byte offset " + expected + " (the header promises " + expected + " bytes)");
        }
    }
}
