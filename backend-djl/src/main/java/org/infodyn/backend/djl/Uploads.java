package org.infodyn.backend.djl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Copies batches into PyTorch through direct buffers that are allocated once and reused.
 * {@code NDManager.create(float[])} allocates a fresh direct buffer per call, which costs about
 * 100–150 µs for a 32×227 batch on this class of machine: more than the whole forward pass.
 * The tensor made here aliases the buffer (PyTorch's {@code from_blob}), so it must not outlive
 * the next upload: callers close it (with its sub-manager) before uploading again.
 */
final class Uploads {
    private ByteBuffer floats = ByteBuffer.allocateDirect(0);
    private ByteBuffer longs = ByteBuffer.allocateDirect(0);

    private static ByteBuffer ensure(ByteBuffer buf, int bytes) {
        if (buf.capacity() >= bytes) {
            buf.clear();
            return buf;
        }
        return ByteBuffer.allocateDirect(Math.max(bytes, buf.capacity() * 2)).order(ByteOrder.nativeOrder());
    }

    /** A float32 tensor of the given shape holding {@code data}, in {@code manager}. */
    NDArray floats(NDManager manager, float[] data, Shape shape) {
        floats = ensure(floats, data.length * Float.BYTES);
        floats.asFloatBuffer().put(data);
        floats.limit(data.length * Float.BYTES);
        return manager.create(floats, shape, DataType.FLOAT32);
    }

    /** An int64 tensor of the given shape holding {@code data}, in {@code manager}. */
    NDArray longs(NDManager manager, int[] data, Shape shape) {
        longs = ensure(longs, data.length * Long.BYTES);
        for (int i = 0; i < data.length; i++) {
            longs.putLong(i * Long.BYTES, data[i]);
        }
        longs.limit(data.length * Long.BYTES);
        return manager.create(longs, shape, DataType.INT64);
    }
}
