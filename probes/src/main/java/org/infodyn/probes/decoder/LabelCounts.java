package org.infodyn.probes.decoder;

/**
 * Class frequencies of a decoder's fit samples: they define the null model (the label
 * distribution, add-one smoothed) and which classes a decoder can learn at all.
 *
 * <p>Null model: {@code p_k = (c_k + 1) / (n + K)}. A class absent from the fit samples gets the
 * same smoothed probability {@code 1 / (n + K)} from every decoder too (decoders can learn
 * nothing about it), and the decoder's own distribution over the present classes is scaled
 * into the remaining mass. So an unseen class costs the decoder exactly what it costs the null
 * model, and the cross-entropies stay finite. Immutable.
 */
public final class LabelCounts {
    private final int[] counts;
    private final int total;
    private final int[] present;
    private final int[] presentIndex;

    private LabelCounts(int[] counts, int total) {
        this.counts = counts;
        this.total = total;
        int k = 0;
        for (int c : counts) {
            if (c > 0) {
                k++;
            }
        }
        present = new int[k];
        presentIndex = new int[counts.length];
        k = 0;
        for (int c = 0; c < counts.length; c++) {
            presentIndex[c] = counts[c] > 0 ? k : -1;
            if (counts[c] > 0) {
                present[k++] = c;
            }
        }
    }

    /**
     * Counts labels.
     *
     * @param labels labels in {@code [0, classes)}
     * @param classes K, ≥ 2
     * @throws IllegalArgumentException for a label outside {@code [0, classes)}
     */
    public static LabelCounts of(int[] labels, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be ≥ 1, got " + classes);
        }
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " of sample " + i + " is outside [0, " + classes + ")");
            }
            counts[y]++;
        }
        return new LabelCounts(counts, labels.length);
    }

    /** K. */
    public int classes() {
        return counts.length;
    }

    /** Number of samples counted. */
    public int total() {
        return total;
    }

    /** How often class {@code k} occurs. */
    public int count(int k) {
        return counts[k];
    }

    /** The classes that occur, ascending (a copy). */
    public int[] presentClasses() {
        return present.clone();
    }

    /** For each class its position among {@link #presentClasses()}, or −1 when absent (a copy). */
    public int[] presentIndex() {
        return presentIndex.clone();
    }

    /** Natural log of the null model's probability of class {@code k}: {@code ln((c_k+1)/(n+K))}. */
    public double nullLogProbability(int k) {
        return Math.log((counts[k] + 1.0) / (total + counts.length));
    }

    /** Natural log of the probability every model gives a class absent from the fit samples. */
    public double unseenLogProbability() {
        return Math.log(1.0 / (total + counts.length));
    }

    /** Natural log of the mass a decoder spreads over the present classes: {@code ln(1 − m/(n+K))}, m absent classes. */
    public double presentLogMass() {
        return Math.log1p(-(double) (counts.length - present.length) / (total + counts.length));
    }
}
