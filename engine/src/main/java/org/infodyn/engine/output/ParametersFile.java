package org.infodyn.engine.output;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Parameters;

/**
 * A checkpoint of a model's parameters in the canonical layout ({@code checkpoints/*.params}).
 * Layout, all integers big-endian: magic {@code "IDPARAMS"}, version 1, count; then per
 * parameter: name (UTF-8, length-prefixed u16), rank (u8), dims (i32 each), values (float32,
 * little-endian, row-major). Written atomically.
 */
public final class ParametersFile {
    private static final byte[] MAGIC = "IDPARAMS".getBytes(StandardCharsets.US_ASCII);

    private ParametersFile() {
    }

    /** Writes {@code params} to {@code file} atomically. */
    public static void write(Path file, Parameters params) throws IOException {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
            out.write(MAGIC);
            out.writeInt(1);
            out.writeInt(params.names().size());
            for (String name : params.names()) {
                FloatTensor t = params.get(name);
                out.writeUTF(name);
                out.writeByte(t.rank());
                for (int d : t.shape()) {
                    out.writeInt(d);
                }
                ByteBuffer buf = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.data());
                out.write(buf.array());
            }
            out.flush();
        });
    }

    /** Reads a file written by {@link #write}. */
    public static Parameters read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not an infodyn parameters file");
            }
            int version = in.readInt();
            if (version != 1) {
                throw new IOException(file + ": unsupported version " + version);
            }
            int count = in.readInt();
            Map<String, FloatTensor> values = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int rank = in.readUnsignedByte();
                int[] shape = new int[rank];
                long size = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readInt();
                    size *= shape[d];
                }
                if (size < 0 || size > Integer.MAX_VALUE / 4) {
                    throw new IOException(file + ": parameter " + name + " has an impossible size");
                }
                byte[] bytes = in.readNBytes((int) size * 4);
                if (bytes.length != size * 4) {
                    throw new IOException(file + ": truncated in parameter " + name);
                }
                float[] v = new float[(int) size];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                values.put(name, new FloatTensor(shape, v));
            }
            return new Parameters(values);
        }
    }
}
