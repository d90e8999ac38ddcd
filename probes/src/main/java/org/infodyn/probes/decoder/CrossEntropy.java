package org.infodyn.probes.decoder;

/**
 * Cross-entropy bookkeeping shared by the null model and the decoders: numerically stable
 * log-sum-exp, scoring of logit rows with the unseen-class rule of {@link LabelCounts}, and the
 * null model's score.
 */
public final class CrossEntropy {
    /** ln 2, to convert nats to bits. */
    public static final double LN2 = Math.log(2);

    private CrossEntropy() {
    }

    /** {@code ln Σ_c exp(z[c])} over the first {@code k} entries, without overflow. */
    public static double logSumExp(double[] z, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, z[c]);
        }
        if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += Math.exp(z[c] - max);
        }
        return max + Math.log(sum);
    }

    /** The null model's score on {@code labels}: Σ −ln p_k with p from {@code counts}; accuracy of its mode. */
    public static Evaluation nullModel(LabelCounts counts, int[] labels) {
        double[] logP = new double[counts.classes()];
        int mode = 0;
        for (int k = 0; k < logP.length; k++) {
            logP[k] = counts.nullLogProbability(k);
            if (counts.count(k) > counts.count(mode)) {
                mode = k;
            }
        }
        double nats = 0;
        int correct = 0;
        for (int y : labels) {
            nats -= logP[y];
            if (y == mode) {
                correct++;
            }
        }
        return new Evaluation(nats, correct, labels.length);
    }

    /**
     * Accumulates the score of a decoder whose logits cover the present classes of a
     * {@link LabelCounts} (in its {@link LabelCounts#presentClasses()} order). Not thread-safe.
     */
    static final class Accumulator {
        private final int[] present;
        private final int[] presentIndex;
        private final double unseenNats;
        private final double presentLogMass;
        private double nats;
        private int correct;
        private int count;

        Accumulator(LabelCounts counts) {
            present = counts.presentClasses();
            presentIndex = counts.presentIndex();
            unseenNats = -counts.unseenLogProbability();
            presentLogMass = counts.presentLogMass();
        }

        /** Scores one sample from its logits {@code z[0..k)} over the present classes. */
        void add(double[] z, int label) {
            int k = present.length;
            int arg = 0;
            for (int c = 1; c < k; c++) {
                if (z[c] > z[arg]) {
                    arg = c;
                }
            }
            int yi = presentIndex[label];
            if (yi < 0) {
                nats += unseenNats;
            } else {
                nats -= presentLogMass + z[yi] - logSumExp(z, k);
            }
            if (present[arg] == label) {
                correct++;
            }
            count++;
        }

        Evaluation result() {
            return new Evaluation(nats, correct, count);
        }
    }
}
