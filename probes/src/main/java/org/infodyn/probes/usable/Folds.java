package org.infodyn.probes.usable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;

/**
 * The row indices of each fold for the splits that divide the probe split. Both are drawn from
 * one permutation of the n probe samples, {@code Seeds.rng(seed, "split").permutation(n)}, so a
 * series' folds are fixed (the same samples at every probe point) and reproducible.
 *
 * <ul>
 *   <li>{@code probe-halves}: fit on the first ⌊n/2⌋ permuted samples, score on the rest;
 *   <li>{@code kfold} with F = min(folds, n) folds: fold f scores permuted samples
 *       {@code [⌊f·n/F⌋, ⌊(f+1)·n/F⌋)} and fits on all others.
 * </ul>
 * Index arrays are ascending (row order does not change the estimate, and ascending order reads
 * memory sequentially).
 *
 * @param fitRows per fold: the rows the decoder is fitted on
 * @param scoreRows per fold: the rows it is scored on
 */
record Folds(List<int[]> fitRows, List<int[]> scoreRows) {
    /** The seed purpose of the probe-split permutation. */
    static final String SPLIT_PURPOSE = "split";

    /** Folds of n probe samples for {@code mode} ({@code probe-halves} or {@code kfold}). */
    static Folds of(SplitMode mode, int n, int folds, long seed) {
        Rng rng = Seeds.rng(seed, SPLIT_PURPOSE);
        int[] perm = rng.permutation(n);
        List<int[]> fit = new ArrayList<>();
        List<int[]> score = new ArrayList<>();
        switch (mode) {
            case PROBE_HALVES -> {
                fit.add(sorted(Arrays.copyOfRange(perm, 0, n / 2)));
                score.add(sorted(Arrays.copyOfRange(perm, n / 2, n)));
            }
            case KFOLD -> {
                int f = Math.max(1, Math.min(folds, n));
                for (int i = 0; i < f; i++) {
                    int from = (int) ((long) i * n / f);
                    int to = (int) ((long) (i + 1) * n / f);
                    int[] rest = new int[n - (to - from)];
                    System.arraycopy(perm, 0, rest, 0, from);
                    System.arraycopy(perm, to, rest, from, n - to);
                    fit.add(sorted(rest));
                    score.add(sorted(Arrays.copyOfRange(perm, from, to)));
                }
            }
            default -> throw new IllegalArgumentException(mode + " does not divide the probe split");
        }
        return new Folds(List.copyOf(fit), List.copyOf(score));
    }

    /** Number of folds. */
    int size() {
        return fitRows.size();
    }

    private static int[] sorted(int[] a) {
        Arrays.sort(a);
        return a;
    }

    /** {@code 0, 1, …, n−1}. */
    static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
