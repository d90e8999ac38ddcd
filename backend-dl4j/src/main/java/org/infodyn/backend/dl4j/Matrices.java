package org.infodyn.backend.dl4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between Java float arrays (row-major, infodyn's layout) and ND4J arrays, without extra
 * ND4J operations: DL4J's dense layers produce column-major ('f') outputs, which are read here
 * through their strides instead of being re-laid out by a {@code dup('c')}.
 */
final class Matrices {
    private Matrices() {
    }

    /**
     * A new float32 array of the given shape in row-major order, owned by the caller (close it),
     * allocated outside any workspace so it outlives the current one.
     */
    @SuppressWarnings("try") // the scope is the resource; nothing reads it
    static INDArray detached(long... shape) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        }
    }

    /**
     * Overwrites a whole row-major array that owns its buffer (made by {@link #detached}, or
     * DL4J's flat parameter vector) with {@code values}: one bulk copy, where ND4J's
     * {@code setData} copies value by value.
     */
    static void write(INDArray target, float[] values) {
        if (target.length() != values.length || target.isView() || target.ordering() != 'c' || target.data().offset() != 0) {
            throw new IllegalArgumentException("cannot write " + values.length + " values into " + target.shapeInfoToString());
        }
        if (values.length > 0) { // an empty array has no buffer (a network without parameters)
            target.data().asNioFloat().put(0, values);
        }
    }

    /** The values of a contiguous array, in its storage order (for flat vectors). */
    static float[] read(INDArray vector) {
        if (vector.isEmpty()) {
            return new float[0];
        }
        return vector.data().getFloatsAt(vector.offset(), Math.toIntExact(vector.length()));
    }

    /** The values of a 2-D array {@code [rows, cols]} in row-major order, into {@code out}. */
    static void readRowMajor(INDArray matrix, float[] out) {
        int rows = Math.toIntExact(matrix.size(0));
        int cols = Math.toIntExact(matrix.size(1));
        long rowStride = matrix.stride(0);
        long colStride = matrix.stride(1);
        int span = Math.toIntExact((rows - 1) * rowStride + (cols - 1) * colStride + 1);
        float[] raw = matrix.data().getFloatsAt(matrix.offset(), span);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = raw[(int) (r * rowStride + c * colStride)];
            }
        }
    }
}
