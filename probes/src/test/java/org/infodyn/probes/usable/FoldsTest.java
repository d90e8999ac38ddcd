package org.infodyn.probes.usable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class FoldsTest {

    @Test
    void kfoldScoresEachSampleOnceAndFitsOnTheRest() {
        int n = 103;
        Folds f = Folds.of(SplitMode.KFOLD, n, 5, 42);
        assertThat(f.size()).isEqualTo(5);
        int[] scored = new int[n];
        for (int i = 0; i < f.size(); i++) {
            int[] score = f.scoreRows().get(i);
            int[] fit = f.fitRows().get(i);
            assertThat(score.length).isBetween(20, 21);
            assertThat(fit.length + score.length).isEqualTo(n);
            assertThat(IntStream.concat(Arrays.stream(fit), Arrays.stream(score)).sorted().toArray())
                    .isEqualTo(Folds.all(n));
            assertThat(fit).isSorted();
            for (int r : score) {
                scored[r]++;
            }
        }
        assertThat(scored).containsOnly(1);
    }

    @Test
    void foldsAreFixedBySeedAndDifferAcrossSeeds() {
        Folds a = Folds.of(SplitMode.PROBE_HALVES, 50, 2, 1);
        assertThat(a.fitRows().get(0)).isEqualTo(Folds.of(SplitMode.PROBE_HALVES, 50, 2, 1).fitRows().get(0));
        assertThat(a.fitRows().get(0)).isNotEqualTo(Folds.of(SplitMode.PROBE_HALVES, 50, 2, 2).fitRows().get(0));
        assertThat(a.fitRows().get(0)).hasSize(25);
        assertThat(a.scoreRows().get(0)).hasSize(25);
        assertThat(Arrays.stream(a.scoreRows().get(0)).boxed().toList())
                .doesNotContainAnyElementsOf(Arrays.stream(a.fitRows().get(0)).boxed().toList());
    }

    @Test
    void moreFoldsThanSamplesLeavesNoFoldEmpty() {
        Folds f = Folds.of(SplitMode.KFOLD, 3, 10, 1);
        assertThat(f.size()).isEqualTo(3);
        assertThat(f.scoreRows()).allSatisfy(s -> assertThat(s).hasSize(1));
    }
}
