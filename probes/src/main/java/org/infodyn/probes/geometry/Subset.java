package org.infodyn.probes.geometry;

import java.util.Arrays;

import org.infodyn.api.random.Rng;

/** The held-out samples a representation probe uses: a seeded subset, fixed for the series. */
final class Subset {
    private Subset() {
    }

    /** {@code min(wanted, n)} of the rows {@code 0..n−1}, in ascending order; all of them when n ≤ wanted. */
    static int[] of(int n, int wanted, long seed) {
        if (n <= wanted) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] rows = Arrays.copyOf(new Rng(seed).permutation(n), wanted);
        Arrays.sort(rows);
        return rows;
    }
}
