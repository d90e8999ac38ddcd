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

    /**
     * A lower-trapezoidal design's weighted Gram skips the zeros beyond each sample's row and
     * gives bit for bit the sums of the plain kernel, for every subset of samples.
     */
    @Test
    void aTrapezoidalWeightedGramSkipsOnlyZerosAndSumsAlike() {
        Rng rng = new Rng(7);
        for (int[] shape : new int[][] {{150, 130}, {1100, 1060}, {70, 9}, {900, 1030}}) { // two tiles of columns from the second on; the last: no sample reaches the second tile
            int n = shape[0];
            int d = shape[1];
            double[] values = new double[n * d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= Math.min(i, d - 1); j++) {
                    values[i * d + j] = rng.nextGaussian();
                }
            }
            double[] w = new double[n];
            int[] samples = new int[n];
            int count = 0;
            for (int i = 0; i < n; i++) {
                w[i] = rng.nextDouble();
                if (rng.nextDouble() < 0.6) {
                    samples[count++] = i;
                }
            }
            int[] all = java.util.stream.IntStream.range(0, n).toArray(); // every row: the Böhning preconditioner's case
            for (int[] subset : new int[][] {all, java.util.Arrays.copyOf(samples, count)}) {
                for (int drop = 0; drop < 4; drop++) { // every remainder of the groups of four
                    int used = subset.length - drop;
                    double[][] plain = new double[d][d];
                    double[][] trapezoidal = new double[d][d];
                    DesignMatrix.ofRowMajor(values, n, d).addWeightedGramUpper(plain, w, subset, used, null);
                    DesignMatrix.ofRowMajor(values, n, d).lowerTrapezoidal().addWeightedGramUpper(trapezoidal, w, subset, used, null);
                    for (int a = 0; a < d; a++) {
                        for (int b = a; b < d; b++) {
                            assertThat(trapezoidal[a][b]).as("%d × %d, %d samples: g[%d][%d]", n, d, used, a, b).isEqualTo(plain[a][b]);
                        }
                    }
                }
            }
        }
    }
}
