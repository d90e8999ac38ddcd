package org.infodyn.api.data;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major (C) order: a shape and the flat data. The first dimension
 * is the sample dimension wherever a tensor holds a batch ({@code [n, ...sampleShape]}).
 *
 * <p>Ownership: the constructor takes the array as is (no copy) and {@link #data()} returns it
 * as is, because these arrays are large and cross the backend boundary on every step. Treat
 * them as read-only unless you created them; copy when you need to keep or change one.
 */
public final class FloatTensor {
    private final int[] shape;
    private final float[] data;

    /**
     * @param shape dimensions, each ≥ 0; the product must equal {@code data.length}
     * @param data the values in row-major order (not copied)
     */
    public FloatTensor(int[] shape, float[] data) {
        this.shape = shape.clone();
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                    + " values but the data has " + data.length);
        }
        this.data = data;
    }

    /** A 2-D tensor {@code [rows, cols]}. */
    public static FloatTensor matrix(int rows, int cols, float[] data) {
        return new FloatTensor(new int[] {rows, cols}, data);
    }

    /** A batch of {@code n} samples of the given per-sample shape. */
    public static FloatTensor batch(int n, int[] sampleShape, float[] data) {
        int[] s = new int[sampleShape.length + 1];
        s[0] = n;
        System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
        return new FloatTensor(s, data);
    }

    /** The dimensions (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** One dimension. */
    public int dim(int i) {
        return shape[i];
    }

    /** The flat data (not a copy; see the class comment). */
    public float[] data() {
        return data;
    }

    /** The first dimension: the number of samples in a batch. */
    public int rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Values per sample: the product of all dimensions but the first. */
    public int rowSize() {
        return rows() == 0 ? sampleSize(shape) : data.length / rows();
    }

    /** The per-sample shape: all dimensions but the first. */
    public int[] sampleShape() {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    private static int sampleSize(int[] shape) {
        int n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** A new tensor holding the given samples (rows), in the given order. */
    public FloatTensor gatherRows(int[] rowIndices) {
        return gatherRows(rowIndices, 0, rowIndices.length);
    }

    /** A new tensor holding samples {@code rowIndices[from..to)}, in that order. */
    public FloatTensor gatherRows(int[] rowIndices, int from, int to) {
        int rs = rowSize();
        float[] out = new float[(to - from) * rs];
        for (int i = from; i < to; i++) {
            System.arraycopy(data, rowIndices[i] * rs, out, (i - from) * rs, rs);
        }
        int[] s = shape.clone();
        s[0] = to - from;
        return new FloatTensor(s, out);
    }

    /** The shape as text, e.g. {@code [32, 227]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return "FloatTensor" + shapeString();
    }
}
