package org.infodyn.probes.decoder;

/**
 * A decoder family V of the usable-information estimate: fitted on one set of samples, it
 * predicts a distribution over the K classes for others. Instances are stateful (they may
 * warm-start from their previous solution and they reuse work arrays), so one instance serves one
 * probe series, one call at a time. They must not keep the {@link DesignMatrix} arguments after a
 * call returns: the caller may reuse their storage for the next point.
 */
public interface Decoder {

    /**
     * Fits the decoder.
     *
     * @param x the fit samples' standardised features, all finite
     * @param labels their labels in {@code [0, K)}, one per row of {@code x}
     * @param counts the class counts of {@code labels} (defines which classes the decoder can learn)
     */
    void fit(DesignMatrix x, int[] labels, LabelCounts counts);

    /**
     * Scores the decoder of the last {@link #fit} on some samples.
     *
     * @param x features, same columns as the fit samples
     * @param labels one label per row of {@code x}
     * @return Σ −ln p(y|x) and arg-max accuracy counts
     * @throws IllegalStateException before the first fit
     */
    Evaluation evaluate(DesignMatrix x, int[] labels);

    /**
     * Whether the last {@link #fit} converged: 1 when it met its convergence criterion, 0 when it
     * stopped at its iteration budget, NaN when the question does not apply (a fixed budget by
     * design, non-finite data).
     */
    default double lastConverged() {
        return Double.NaN;
    }

    /** Iterations of the last {@link #fit} (optimiser iterations or training steps). */
    int lastIterations();
}
