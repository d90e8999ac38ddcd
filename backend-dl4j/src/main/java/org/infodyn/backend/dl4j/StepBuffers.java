package org.infodyn.backend.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native input and loss-gradient arrays of a training step and their Java mirrors, reused from
 * step to step while the batch size stays the same (it changes at most at the end of an epoch).
 * Allocating them per step cost more than copying into them: each ND4J allocation registers
 * native memory for garbage-collected release.
 */
final class StepBuffers implements AutoCloseable {
    private final int inputSize;
    private final int classes;
    private int batch = -1;
    private INDArray input;
    private INDArray lossGradient;
    private float[] logits;
    private float[] lossGradientValues;

    StepBuffers(int inputSize, int classes) {
        this.inputSize = inputSize;
        this.classes = classes;
    }

    /** Makes the buffers fit a batch of {@code b} samples. */
    void resize(int b) {
        if (b != batch) {
            close();
            input = Matrices.detached(b, inputSize);
            lossGradient = Matrices.detached(b, classes);
            logits = new float[b * classes];
            lossGradientValues = new float[b * classes];
            batch = b;
        }
    }

    /** The input array holding {@code values} ({@code [b, inputSize]} row-major). */
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
