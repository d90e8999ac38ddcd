package org.infodyn.probes.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.infodyn.api.random.Rng;
import org.junit.jupiter.api.Test;

class DesignMatrixTest {

    @Test
    void productsWithXAndItsTransposeMatchTheDefinitions() {
        Rng rng = new Rng(1);
        int n = 11; // neither dimension a multiple of the kernels' four
        int d = 7;
        double[] values = new double[n * d];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextGaussian();
        }
        DesignMatrix x = DesignMatrix.ofRowMajor(values, n, d);
        double[] v = new double[d + 1];
        double[] w = new double[n];
        for (int j = 0; j <= d; j++) {
            v[j] = rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            w[i] = rng.nextGaussian();
        }
        double[] xv = new double[n];
        x.times(v, 0.5, xv);
        double[] xtw = new double[d + 1];
        xtw[d] = 42;
        x.addTransposeTimes(w, xtw);
        for (int i = 0; i < n; i++) {
            double expected = 0.5;
            for (int j = 0; j < d; j++) {
                expected += v[j] * values[i * d + j];
            }
            assertThat(xv[i]).isCloseTo(expected, within(1e-12));
        }
        for (int j = 0; j < d; j++) {
            double expected = 0;
            for (int i = 0; i < n; i++) {
                expected += w[i] * values[i * d + j];
            }
            assertThat(xtw[j]).isCloseTo(expected, within(1e-12));
        }
        assertThat(xtw[d]).as("entries beyond the columns are not touched").isEqualTo(42);
    }
}
