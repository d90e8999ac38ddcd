package org.infodyn.backend.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native input and loss-gradient arrays of a training step and their Java mirrors, reused from
 * step to step while the batch size stays the same (it changes at most at the end of an epoch).
 * Allocating them per step cost more than copying into them: each ND4J allocation registers
 * native memory for garbage-collected release.
 */
final class StepBuffers implements AutoCloseable {
    private final long[] sampleShape;
    private final int classes;
    private int batch = -1;
    private INDArray input;
    private INDArray lossGradient;
    private float[] logits;
    private float[] lossGradientValues;

    /**
     * @param sampleShape the per-sample shape of the network input as DL4J takes it
     *     ({@code [inputSize]} or {@code [C, H, W]})
     * @param classes size of the logits
     */
    StepBuffers(long[] sampleShape, int classes) {
        this.sampleShape = sampleShape.clone();
        this.classes = classes;
    }

    /** {@code [b, ...sampleShape]}. */
    static long[] batchShape(int b, long[] sampleShape) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = b;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return shape;
    }

    /** Makes the buffers fit a batch of {@code b} samples. */
    void resize(int b) {
        if (b != batch) {
            close();
            input = Matrices.detached(batchShape(b, sampleShape));
            lossGradient = Matrices.detached(b, classes);
            logits = new float[b * classes];
            lossGradientValues = new float[b * classes];
            batch = b;
        }
    }

    /** The input array holding {@code values} ({@code [b, ...sampleShape]} row-major). */
    INDArray input(float[] values) {
        Matrices.write(input, values);
        return input;
    }

    /** Java copy of the logits: filled by the step, read for the loss. */
    float[] logits() {
        return logits;
    }

    /** Java side of the loss gradient: filled by the step. */
    float[] lossGradientValues() {
        return lossGradientValues;
    }

    /** The loss-gradient array holding {@link #lossGradientValues()}. */
    INDArray lossGradient() {
        Matrices.write(lossGradient, lossGradientValues);
        return lossGradient;
    }

    @Override
    public void close() {
        if (input != null) {
            input.close();
            lossGradient.close();
            input = null;
            lossGradient = null;
            batch = -1;
        }
    }
}
