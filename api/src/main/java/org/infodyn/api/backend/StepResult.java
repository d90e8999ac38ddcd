package org.infodyn.api.backend;

/**
 * What one training step reports about its forward pass (before the update).
 *
 * @param loss mean softmax cross-entropy over the batch, in nats (non-finite on divergence)
 * @param correct number of samples whose arg-max logit is the label
 * @param samples batch size
 */
public record StepResult(double loss, int correct, int samples) {

    /**
     * Loss (mean softmax cross-entropy, nats, computed in double) and arg-max accuracy of logits.
     *
     * @param logits row-major {@code [rows, classes]}
     * @param firstRow the row of {@code logits} that belongs to {@code labels[0]}
     * @param labels one label per row, from {@code firstRow} on
     * @param classes K
     */
    public static StepResult fromLogits(float[] logits, int firstRow, int[] labels, int classes) {
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int base = (firstRow + i) * classes;
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < classes; c++) {
                if (logits[base + c] > max) {
                    max = logits[base + c];
                    arg = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[base + c] - max);
            }
            loss += Math.log(sum) + max - logits[base + labels[i]];
            correct += arg == labels[i] ? 1 : 0;
        }
        return new StepResult(loss / labels.length, correct, labels.length);
    }

    /** Fraction of correct predictions. */
    public double accuracy() {
        return samples == 0 ? 0 : (double) correct / samples;
    }
}
