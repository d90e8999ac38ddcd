package org.infodyn.backend.dl4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between Java float arrays (row-major, infodyn's layout) and ND4J arrays, without extra
 * ND4J operations: DL4J's dense layers produce column-major ('f') outputs, which are read here
 * through their strides instead of being re-laid out by a {@code dup('c')}; image activations
 * ({@code [n, C, H, W]}) are read the same way, in one bulk copy when they are row-major
 * contiguous (all of this backend's layers produce such outputs).
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

    /**
     * Overwrites a contiguous vector view (a parameter or gradient of one layer, a slice of DL4J's
     * flat vectors) with {@code values}, element by element through ND4J's Java-side indexer (no
     * native operation, no allocation) where the buffer allows it, else by one native assign.
     */
    static void writeVector(INDArray view, float[] values) {
        if (view.length() != values.length || view.elementWiseStride() != 1) {
            throw new IllegalArgumentException("cannot write " + values.length + " values into " + view.shapeInfoToString());
        }
        var data = view.data();
        long offset = view.offset();
        if (offset + values.length > data.length()) {
            // ND4J's indexer bounds this buffer by less than the view's reach: go through a native assign.
            view.assign(Nd4j.createFromArray(values).reshape(view.shape()));
            return;
        }
        for (int i = 0; i < values.length; i++) {
            data.put(offset + i, values[i]);
        }
    }

    /** The values of a contiguous array, in its storage order (for flat vectors). */
    static float[] read(INDArray vector) {
        if (vector.isEmpty()) {
            return new float[0];
        }
        return floatsAt(vector, vector.offset(), Math.toIntExact(vector.length()));
    }

    /**
     * The values of an array of any rank in row-major order, into {@code out}: a 2-D array through
     * its strides, a larger one in one bulk copy when row-major contiguous, else element by
     * element through its strides.
     */
    static void readRowMajor(INDArray array, float[] out) {
        if (array.rank() == 2) {
            readMatrix(array, out);
            return;
        }
        if (array.length() != out.length) {
            throw new IllegalArgumentException("cannot read " + array.shapeInfoToString() + " into " + out.length + " values");
        }
        if (array.ordering() == 'c' && array.elementWiseStride() == 1) {
            System.arraycopy(floatsAt(array, array.offset(), out.length), 0, out, 0, out.length);
            return;
        }
        long[] shape = array.shape();
        long[] stride = array.stride();
        int rank = shape.length;
        long[] index = new long[rank];
        for (int i = 0; i < out.length; i++) {
            long at = array.offset();
            for (int d = 0; d < rank; d++) {
                at += index[d] * stride[d];
            }
            out[i] = array.data().getFloat(at);
            for (int d = rank - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                index[d] = 0;
            }
        }
    }

    /** The values of a 2-D array {@code [rows, cols]} in row-major order, into {@code out}. */
    private static void readMatrix(INDArray matrix, float[] out) {
        int rows = Math.toIntExact(matrix.size(0));
        int cols = Math.toIntExact(matrix.size(1));
        long rowStride = matrix.stride(0);
        long colStride = matrix.stride(1);
        int span = Math.toIntExact((rows - 1) * rowStride + (cols - 1) * colStride + 1);
        if (matrix.offset() + span > matrix.data().length()) {
            System.arraycopy(contiguousCopy(matrix), 0, out, 0, out.length);
            return;
        }
        float[] raw = matrix.data().getFloatsAt(matrix.offset(), span);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = raw[(int) (r * rowStride + c * colStride)];
            }
        }
    }

    /**
     * {@code count} consecutive values of an array's storage from {@code offset}, for a contiguous
     * array. ND4J's bulk {@code getFloatsAt} fails on (or silently shortens) a read past the
     * buffer's reported length, which for the parameter views cut by {@link CanonicalParameters}
     * is shorter than the view's reach; those go through ND4J's own copy instead.
     */
    private static float[] floatsAt(INDArray array, long offset, int count) {
        var data = array.data();
        if (offset + count <= data.length()) {
            return data.getFloatsAt(offset, count);
        }
        return contiguousCopy(array);
    }

    /** The array's values in row-major order, through ND4J's own strided copy. */
    private static float[] contiguousCopy(INDArray array) {
        return array.dup('c').reshape(array.length()).toFloatVector();
    }
}
