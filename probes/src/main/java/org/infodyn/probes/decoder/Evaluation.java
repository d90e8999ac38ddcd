package org.infodyn.probes.decoder;

/**
 * A decoder's (or the null model's) score on some samples, kept as sums so that folds can be
 * pooled.
 *
 * @param sumNats Σ −ln p(y|z) over the samples (nats)
 * @param correct samples whose arg-max prediction is the label
 * @param count number of samples
 */
public record Evaluation(double sumNats, int correct, int count) {
    /** Nothing scored yet. */
    public static final Evaluation EMPTY = new Evaluation(0, 0, 0);

    /** The pooled score of both sample sets. */
    public Evaluation plus(Evaluation other) {
        return new Evaluation(sumNats + other.sumNats, correct + other.correct, count + other.count);
    }

    /** Mean cross-entropy, bits (NaN when nothing was scored). */
    public double meanBits() {
        return count == 0 ? Double.NaN : sumNats / count / CrossEntropy.LN2;
    }

    /** Arg-max accuracy in [0, 1] (NaN when nothing was scored). */
    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }
}
