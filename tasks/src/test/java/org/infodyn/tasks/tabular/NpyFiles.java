package org.infodyn.tasks.tabular;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes small .npy files for tests (version 1.0, C order), as numpy.save does. */
final class NpyFiles {
    private NpyFiles() {
    }

    static byte[] int64(long[] values) {
        byte[] header = header("<i8", values.length);
        ByteBuffer b = ByteBuffer.allocate(header.length + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    static byte[] float32(float[] values, int rows, int cols) {
        byte[] header = header("<f4", rows + ", " + cols);
        ByteBuffer b = ByteBuffer.allocate(header.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] header(String descr, Object shape) {
        String dims = shape instanceof Integer n ? n + "," : shape.toString();
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String text = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }
}
