package org.infodyn.api.data;

import java.util.Arrays;

import org.infodyn.api.random.Rng;

/** Helpers for tasks that make their own train / probe split. */
public final class Splits {
    private Splits() {
    }

    /**
     * Holds out a fraction of {@code 0..n-1}: a seeded permutation, the first
     * {@code round(n·fraction)} (at least 1) indices go to the probe split, the rest to train.
     * Both parts are returned sorted, so the sample order within a split does not depend on the
     * permutation.
     *
     * @return {@code [train, probe]}
     */
    public static int[][] holdOut(int n, double fraction, Rng rng) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1), got " + fraction);
        }
        int probe = (int) Math.max(1, Math.min(n - 1, Math.round(n * fraction)));
        int[] perm = rng.permutation(n);
        int[] probeIdx = Arrays.copyOfRange(perm, 0, probe);
        int[] trainIdx = Arrays.copyOfRange(perm, probe, n);
        Arrays.sort(probeIdx);
        Arrays.sort(trainIdx);
        return new int[][] {trainIdx, probeIdx};
    }
}
