package org.infodyn.api.backend;

/**
 * What one training step reports about its forward pass (before the update).
 *
 * @param loss mean softmax cross-entropy over the batch, in nats (non-finite on divergence)
 * @param correct number of samples whose arg-max logit is the label
 * @param samples batch size
 */
public record StepResult(double loss, int correct, int samples) {

    /** Fraction of correct predictions. */
    public double accuracy() {
        return samples == 0 ? 0 : (double) correct / samples;
    }
}
