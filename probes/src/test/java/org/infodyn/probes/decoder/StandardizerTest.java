package org.infodyn.probes.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.infodyn.api.data.FloatTensor;
import org.junit.jupiter.api.Test;

class StandardizerTest {

    @Test
    void zScoresWithTheFitRowsStatisticsAndZeroesConstantFeatures() {
        // column 0: 1, 3 on the fit rows (mean 2, sd 1); column 1: constant 5 (a dead unit).
        FloatTensor fit = FloatTensor.matrix(2, 2, new float[] {1, 5, 3, 5});
        Standardizer s = Standardizer.fit(fit, new int[] {0, 1});
        FloatTensor other = FloatTensor.matrix(2, 2, new float[] {4, 7, 2, -1});
        DesignMatrix m = s.transform(other, new int[] {1, 0});
        assertThat(m.row(0)).containsExactly(new double[] {0, 0}, within(0.0));
        assertThat(m.row(1)).containsExactly(new double[] {2, 0}, within(0.0));
        assertThat(m.column(0)).containsExactly(new double[] {0, 2}, within(0.0));
        assertThat(m.isFinite()).isTrue();
    }

    @Test
    void aSubsetOfRowsDefinesTheStatistics() {
        FloatTensor x = FloatTensor.matrix(3, 1, new float[] {100, 0, 2});
        DesignMatrix m = Standardizer.fit(x, new int[] {1, 2}).transform(x, new int[] {0});
        assertThat(m.get(0, 0)).isCloseTo(99, within(1e-12));
    }

    @Test
    void nonFiniteInputsAreFlaggedEvenInConstantColumns() {
        FloatTensor fit = FloatTensor.matrix(2, 1, new float[] {1, 1});
        Standardizer s = Standardizer.fit(fit, new int[] {0, 1});
        FloatTensor bad = FloatTensor.matrix(1, 1, new float[] {Float.POSITIVE_INFINITY});
        assertThat(s.transform(bad, new int[] {0}).isFinite()).isFalse();
        FloatTensor nanFit = FloatTensor.matrix(2, 1, new float[] {Float.NaN, 1});
        assertThat(Standardizer.fit(nanFit, new int[] {0, 1}).transform(fit, new int[] {0}).isFinite()).isFalse();
    }
}
