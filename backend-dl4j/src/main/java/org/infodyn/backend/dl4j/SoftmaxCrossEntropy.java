package org.infodyn.backend.dl4j;

/**
 * The gradient of the api's loss, {@code mean_i −log softmax(z_i)[y_i]}, with respect to the
 * logits: {@code (softmax(z_i) − onehot(y_i)) / b}, computed in double from the float logits and
 * rounded once. It works on {@code b × K} values, far less than one layer's matrix product, so
 * doing it in Java costs less than the DL4J operations it replaces.
 */
final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /**
     * @param logits row-major {@code [b, classes]}
     * @param labels {@code b} labels in {@code [0, classes)}
     * @param classes K
     * @param gradient receives the row-major {@code [b, classes]} gradient
     */
    static void gradient(float[] logits, int[] labels, int classes, float[] gradient) {
        int b = labels.length;
        for (int i = 0; i < b; i++) {
            int base = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[base + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[base + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                double p = Math.exp(logits[base + c] - max) / sum;
                gradient[base + c] = (float) ((p - (c == labels[i] ? 1 : 0)) / b);
            }
        }
    }
}
