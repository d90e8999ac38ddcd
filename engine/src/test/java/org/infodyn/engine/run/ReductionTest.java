package org.infodyn.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.random.Rng;
import org.infodyn.engine.experiment.ReduceSetting;
import org.junit.jupiter.api.Test;

class ReductionTest {
    private static final String PATH = "probes[0].reduce";

    private static Reduction resolve(String text, int... shape) {
        return Reduction.resolve(ReduceSetting.parse(text, PATH), "layer", shape, 500, 7, PATH);
    }

    @Test
    void settingsAreReadStrictlyWithTheFieldTheValueAndTheForms() {
        assertThat(ReduceSetting.parse("Spatial-Pool:4", PATH)).isEqualTo(new ReduceSetting(ReduceSetting.Kind.SPATIAL_POOL, 4));
        assertThat(ReduceSetting.parse("none", PATH).text()).isEqualTo("none");
        assertThat(ReduceSetting.parse("pca:256", PATH).text()).isEqualTo("pca:256");
        assertThatThrownBy(() -> ReduceSetting.parse("pool", PATH)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(PATH).hasMessageContaining("'pool' is not a reduction")
                .hasMessageContaining("auto, none, channel-mean, spatial-pool:K, random-projection:D, pca:D");
        assertThatThrownBy(() -> ReduceSetting.parse("pca", PATH)).hasMessageContaining("needs a size: write pca:D");
        assertThatThrownBy(() -> ReduceSetting.parse("pca:x", PATH)).hasMessageContaining("D must be a whole number");
        assertThatThrownBy(() -> ReduceSetting.parse("spatial-pool:0", PATH)).hasMessageContaining("K must be between 1 and 65536, got 0");
        assertThatThrownBy(() -> ReduceSetting.parse("none:3", PATH)).hasMessageContaining("none takes no size");
    }

    @Test
    void autoKeepsLayersUpToTheLimitAndPoolsLargerFeatureMapsToIt() {
        assertThat(resolve("auto", 100).id()).isEqualTo("none");
        assertThat(resolve("auto", 32, 14, 14).id()).isEqualTo("none"); // 6,272 features
        assertThat(resolve("auto", 512, 4, 4).id()).isEqualTo("none"); // 8,192
        Reduction stage1 = resolve("auto", 64, 32, 32); // 65,536
        assertThat(stage1.id()).isEqualTo("spatial-pool:11");
        assertThat(stage1.outputFeatures()).isEqualTo(64 * 121).isLessThanOrEqualTo(ReduceSetting.AUTO_MAX_FEATURES);
        assertThat(stage1.measuredName("stage1")).isEqualTo("stage1@spatial-pool:11");
        assertThat(stage1.describe()).isEqualTo("spatial-pool:11 (64×32×32 = 65536 → 7744 features)");
        assertThat(resolve("auto", 128).describe()).isEqualTo("none (128 features)");
        assertThat(resolve("auto", 20000).id()).as("a vector is never pooled").isEqualTo("none");
    }

    @Test
    void reductionsThatDoNotFitTheLayerAreRefusedWithTheLimit() {
        assertThatThrownBy(() -> resolve("channel-mean", 100)).hasMessageContaining(PATH)
                .hasMessageContaining("channel-mean needs a layer with channels, but layer layer (100, 100 features) is a vector");
        assertThatThrownBy(() -> resolve("spatial-pool:8", 16, 7, 7)).hasMessageContaining("K must be at most 7");
        assertThatThrownBy(() -> resolve("random-projection:100", 100)).hasMessageContaining("D must be below 100");
        assertThatThrownBy(() -> resolve("pca:500", 1000)).hasMessageContaining("with 500 fit samples: D must be at most 499");
    }

    @Test
    void channelMeanAndSpatialPoolAverageTheRightWindows() {
        float[] x = new float[2 * 7 * 7];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        FloatTensor acts = FloatTensor.matrix(1, x.length, x);
        assertThat(resolve("channel-mean", 2, 7, 7).apply(acts, 1, 1).data()).containsExactly(24f, 73f);
        // 7 rows into 3 windows, as PyTorch's adaptive pooling: [0, 3), [2, 5), [4, 7)
        float[] pooled = resolve("spatial-pool:3", 2, 7, 7).apply(acts, 1, 1).data();
        assertThat(pooled).hasSize(18);
        assertThat(pooled[0]).isEqualTo((0 + 1 + 2 + 7 + 8 + 9 + 14 + 15 + 16) / 9f);
        assertThat(pooled[4]).as("the middle window of channel 0").isEqualTo(24f);
        assertThat(pooled[9 + 8]).as("the last window of channel 1").isEqualTo(49 + (32 + 33 + 34 + 39 + 40 + 41 + 46 + 47 + 48) / 9f);
    }

    @Test
    void aRandomProjectionIsSeededFixedAndKeepsLengthsOnAverage() {
        Rng rng = new Rng(3);
        int d = 2000;
        float[] x = new float[10 * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        FloatTensor acts = FloatTensor.matrix(10, d, x);
        Reduction r = resolve("random-projection:400", d);
        float[] a = r.apply(acts, 10, 10).data();
        assertThat(resolve("random-projection:400", d).apply(acts, 10, 10).data()).as("same seed, same projection").containsExactly(a);
        assertThat(Reduction.resolve(ReduceSetting.parse("random-projection:400", PATH), "layer", new int[] {d}, 500, 8, PATH)
                .apply(acts, 10, 10).data()).isNotEqualTo(a);
        double before = 0;
        double after = 0;
        for (float v : x) {
            before += v * v;
        }
        for (float v : a) {
            after += v * v;
        }
        assertThat(after / before).isCloseTo(1, within(0.1));
    }

    @Test
    void pcaFindsTheLeadingDirectionsOfTheFitSamples() {
        Rng rng = new Rng(11);
        int n = 300;
        int d = 40;
        // three latent coordinates of very different scales along random orthonormal directions, plus small noise
        double[][] directions = new double[3][d];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < d; j++) {
                directions[c][j] = rng.nextGaussian();
            }
            for (int m = 0; m < c; m++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += directions[c][j] * directions[m][j];
                }
                for (int j = 0; j < d; j++) {
                    directions[c][j] -= dot * directions[m][j];
                }
            }
            double norm = 0;
            for (double v : directions[c]) {
                norm += v * v;
            }
            for (int j = 0; j < d; j++) {
                directions[c][j] /= Math.sqrt(norm);
            }
        }
        double[] scales = {10, 4, 2};
        double[][] latent = new double[n][3];
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                latent[i][c] = scales[c] * rng.nextGaussian();
            }
            for (int j = 0; j < d; j++) {
                double v = 0.05 * rng.nextGaussian() + 5; // an offset the centring removes
                for (int c = 0; c < 3; c++) {
                    v += latent[i][c] * directions[c][j];
                }
                x[i * d + j] = (float) v;
            }
        }
        int fit = 250;
        float[] pcs = Reduction.resolve(ReduceSetting.parse("pca:3", PATH), "layer", new int[] {d}, fit, 5, PATH)
                .apply(FloatTensor.matrix(n, d, x), fit, fit).data();
        // the exact answer: eigenvectors of the fit rows' covariance (Jacobi is checked on its own below)
        double[] mean = new double[d];
        for (int i = 0; i < fit; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j] / (double) fit;
            }
        }
        double[][] cov = new double[d][d];
        for (int i = 0; i < fit; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    cov[j][k] += (x[i * d + j] - mean[j]) * (x[i * d + k] - mean[k]);
                }
            }
        }
        double[][] e = PrincipalComponents.jacobiEigenvectors(cov, d);
        for (int c = 0; c < 3; c++) {
            double sxy = 0;
            double sxx = 0;
            double syy = 0;
            for (int i = 0; i < n; i++) {
                double exact = 0;
                for (int j = 0; j < d; j++) {
                    exact += (x[i * d + j] - mean[j]) * e[j][c];
                }
                sxy += pcs[i * 3 + c] * exact;
                sxx += pcs[i * 3 + c] * pcs[i * 3 + c];
                syy += exact * exact;
            }
            assertThat(Math.abs(sxy) / Math.sqrt(sxx * syy)).as("|correlation| of component %d with the exact one", c)
                    .isGreaterThan(0.99999);
            assertThat(Math.abs(sxx - syy) / syy).as("its variance").isLessThan(1e-4);
        }
    }

    @Test
    void jacobiGivesEigenvectorsSortedByEigenvalue() {
        Rng rng = new Rng(4);
        int m = 20;
        double[][] a = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                a[i][j] = a[j][i] = rng.nextGaussian();
            }
        }
        double[][] v = PrincipalComponents.jacobiEigenvectors(a, m);
        double previous = Double.POSITIVE_INFINITY;
        for (int c = 0; c < m; c++) {
            double[] av = new double[m];
            double lambda = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    av[i] += a[i][j] * v[j][c];
                }
                lambda += v[i][c] * av[i];
            }
            for (int i = 0; i < m; i++) {
                assertThat(av[i]).isCloseTo(lambda * v[i][c], within(1e-9));
            }
            assertThat(lambda).isLessThanOrEqualTo(previous);
            previous = lambda;
        }
    }
}
