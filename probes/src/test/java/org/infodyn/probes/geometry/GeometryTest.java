package org.infodyn.probes.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.infodyn.api.config.Params;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.api.random.Rng;
import org.junit.jupiter.api.Test;

/** CKA and dimensionality against answers known in closed form. */
class GeometryTest {

    private static float[] gaussian(Rng rng, int n, int d, double[] sd) {
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (sd[j] * rng.nextGaussian());
            }
        }
        return x;
    }

    /** A random orthogonal d × d matrix (Gram–Schmidt of Gaussian columns). */
    private static double[][] orthogonal(Rng rng, int d) {
        double[][] q = new double[d][d];
        for (int c = 0; c < d; c++) {
            double[] v = new double[d];
            for (int r = 0; r < d; r++) {
                v[r] = rng.nextGaussian();
            }
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int r = 0; r < d; r++) {
                    dot += v[r] * q[r][p];
                }
                for (int r = 0; r < d; r++) {
                    v[r] -= dot * q[r][p];
                }
            }
            double norm = Math.sqrt(Arrays.stream(v).map(a -> a * a).sum());
            for (int r = 0; r < d; r++) {
                q[r][c] = v[r] / norm;
            }
        }
        return q;
    }

    private static float[] transform(float[] x, int n, int d, double[][] q, double scale, double shift) {
        float[] y = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                double s = 0;
                for (int r = 0; r < d; r++) {
                    s += x[i * d + r] * q[r][c];
                }
                y[i * d + c] = (float) (scale * s + shift);
            }
        }
        return y;
    }

    private static ProbeData heldOut(FloatTensor x, Map<String, FloatTensor> companions) {
        LabelledFeatures none = new LabelledFeatures(FloatTensor.matrix(0, x.dim(1), new float[0]), new int[0]);
        return new ProbeData(0, 1, none, new LabelledFeatures(x, new int[x.rows()]), companions,
                org.infodyn.api.probe.NetworkFacts.EMPTY);
    }

    private static double metric(List<Measurement> ms, String name) {
        return ms.stream().filter(m -> m.metric().equals(name)).findFirst().orElseThrow().value();
    }

    private static ProbeSeries series(Object probe, Map<String, ?> params) {
        var p = (org.infodyn.api.probe.Probe) probe;
        return p.configure(Params.bind("probes[0]", params, p.parameters())).open("layer", "", 1, 5);
    }

    /**
     * The centred Gram on the decoders' tiled kernel equals a plain double-precision computation,
     * on a subset of rows in any order (more than one 64-row tile of the kernel), with a width
     * that is no multiple of the kernel's four terms, and is exactly symmetric.
     */
    @Test
    void theCentredGramEqualsAPlainComputation() {
        Rng rng = new Rng(8);
        int total = 90;
        int d = 1_030;
        double[] sd = new double[d];
        Arrays.fill(sd, 1);
        float[] x = gaussian(rng, total, d, sd);
        int[] rows = new int[70]; // more than the kernel's 64-row tiles, in a scrambled order
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (i * 37 + 5) % total;
        }
        double[][] k = CentredGram.of(FloatTensor.matrix(total, d, x), rows);
        int n = rows.length;
        double[] mean = new double[d];
        for (int r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[r * d + j] / (double) n;
            }
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double s = 0;
                double size = 0;
                for (int j = 0; j < d; j++) {
                    double term = (x[rows[a] * d + j] - mean[j]) * (x[rows[b] * d + j] - mean[j]);
                    s += term;
                    size += Math.abs(term);
                }
                assertThat(k[a][b]).as("(%d, %d)", a, b).isCloseTo(s, within(1e-12 * size));
                assertThat(k[a][b]).as("symmetric").isEqualTo(k[b][a]);
            }
        }
    }

    @Test
    void eigenvaluesOfAKnownSpectrumAreRecovered() {
        Rng rng = new Rng(1);
        int d = 40;
        double[] lambda = new double[d];
        for (int i = 0; i < d; i++) {
            lambda[i] = i < 3 ? 0 : Math.pow(1.3, -i) * 10; // three zero eigenvalues, the rest spread over decades
        }
        double[][] q = orthogonal(rng, d);
        double[][] a = new double[d][d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                for (int k = 0; k < d; k++) {
                    a[r][c] += q[r][k] * lambda[k] * q[c][k];
                }
            }
        }
        double[] got = SymmetricEigenvalues.of(a);
        double[] want = lambda.clone();
        Arrays.sort(want);
        for (int i = 0; i < d; i++) {
            assertThat(got[i]).as("eigenvalue %d", i).isCloseTo(want[d - 1 - i], within(1e-12 * 10 + 1e-13));
        }
        assertThat(SymmetricEigenvalues.of(new double[][] {{2}})).containsExactly(2);
        assertThat(SymmetricEigenvalues.of(new double[0][0])).isEmpty();
    }

    @Test
    void ckaOfARepresentationWithItselfIsOneAndInvariantToOrthogonalTransformsAndIsotropicScaling() {
        Rng rng = new Rng(2);
        int n = 300;
        int d = 12;
        double[] sd = new double[d];
        Arrays.setAll(sd, j -> 1 + j);
        float[] x = gaussian(rng, n, d, sd);
        FloatTensor a = FloatTensor.matrix(n, d, x);
        FloatTensor rotated = FloatTensor.matrix(n, d, transform(x, n, d, orthogonal(rng, d), 3.5, 2.0));
        FloatTensor unrelated = FloatTensor.matrix(n, d, gaussian(rng, n, d, sd));
        ProbeSeries s = series(new CkaProbe(), Map.of("with", "other"));
        List<Measurement> first = s.measure(heldOut(a, Map.of("other", rotated)));
        assertThat(metric(first, "cka_init")).isCloseTo(1, within(1e-12));
        assertThat(metric(first, "cka_previous")).isNaN();
        assertThat(metric(first, "cka_with")).as("rotated, scaled and shifted").isCloseTo(1, within(1e-6));
        List<Measurement> second = s.measure(heldOut(unrelated, Map.of("other", a)));
        // independent Gaussian representations of n samples: CKA of order d/n, far from 1
        assertThat(metric(second, "cka_init")).isLessThan(0.15);
        assertThat(metric(second, "cka_previous")).isEqualTo(metric(second, "cka_init"));
        List<Measurement> third = s.measure(heldOut(rotated, Map.of("other", unrelated)));
        assertThat(metric(third, "cka_init")).as("against the first point, whatever came between").isCloseTo(1, within(1e-6));
        // a feature scaled alone is not an isotropic scaling: CKA moves away from 1
        float[] stretched = x.clone();
        for (int i = 0; i < n; i++) {
            stretched[i * d] *= 20;
        }
        assertThat(metric(series(new CkaProbe(), Map.of()).measure(heldOut(FloatTensor.matrix(n, d, stretched), Map.of())), "cka_with")).isNaN();
        ProbeSeries t = series(new CkaProbe(), Map.of());
        t.measure(heldOut(a, Map.of()));
        assertThat(metric(t.measure(heldOut(FloatTensor.matrix(n, d, stretched), Map.of())), "cka_init")).isLessThan(0.9);
    }

    @Test
    void theParticipationRatioOfIsotropicGaussianDataIsItsDimension() {
        Rng rng = new Rng(3);
        int n = 4000;
        int d = 10;
        double[] sd = new double[d];
        Arrays.fill(sd, 2.0);
        List<Measurement> ms = series(new DimensionalityProbe(), Map.of("samples", 4000L))
                .measure(heldOut(FloatTensor.matrix(n, d, gaussian(rng, n, d, sd)), Map.of()));
        // sampling noise of n = 4,000: the ratio's expectation is about d·(1 − d/n)
        assertThat(metric(ms, "participation_ratio")).isCloseTo(d, within(0.1));
        assertThat(metric(ms, "components_90")).isEqualTo(9);
        assertThat(metric(ms, "total_variance")).isCloseTo(4.0 * d, within(0.8));
    }

    @Test
    void oneDominantDirectionGivesARatioNearOneAndTheGramPathAgreesWithTheCovariancePath() {
        Rng rng = new Rng(4);
        int n = 60;
        int d = 200; // more features than samples: the spectrum comes from the Gram matrix
        double[] sd = new double[d];
        Arrays.fill(sd, 0.01);
        sd[7] = 10;
        float[] x = gaussian(rng, n, d, sd);
        List<Measurement> wide = series(new DimensionalityProbe(), Map.of()).measure(heldOut(FloatTensor.matrix(n, d, x), Map.of()));
        assertThat(metric(wide, "participation_ratio")).isBetween(1.0, 1.05);
        assertThat(metric(wide, "components_90")).isEqualTo(1);
        int[] rows = new int[n];
        Arrays.setAll(rows, i -> i);
        double[] fromGram = DimensionalityProbe.spectrum(FloatTensor.matrix(n, d, x), rows);
        // the same data seen through its first n − 1 features only: a covariance path check on a square-ish problem
        float[] narrow = new float[n * 50];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d, narrow, i * 50, 50);
        }
        double[] cov = DimensionalityProbe.spectrum(FloatTensor.matrix(n, 50, narrow), rows);
        assertThat(cov).hasSize(50);
        assertThat(fromGram).hasSize(n);
        // Gram and covariance paths on the same 50 features
        float[] wideNarrow = new float[n * 50];
        System.arraycopy(narrow, 0, wideNarrow, 0, narrow.length);
        int[] few = Arrays.copyOf(rows, 40); // 40 samples < 50 features: the Gram path
        double[] viaGram = DimensionalityProbe.spectrum(FloatTensor.matrix(n, 50, wideNarrow), few);
        float[] firstForty = Arrays.copyOf(narrow, 40 * 50);
        double[][] covariance = new double[50][50];
        double[] mean = new double[50];
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 50; j++) {
                mean[j] += firstForty[i * 50 + j] / 40.0;
            }
        }
        for (int i = 0; i < 40; i++) {
            for (int a = 0; a < 50; a++) {
                for (int b = 0; b < 50; b++) {
                    covariance[a][b] += (firstForty[i * 50 + a] - mean[a]) * (firstForty[i * 50 + b] - mean[b]) / 40.0;
                }
            }
        }
        double[] direct = SymmetricEigenvalues.of(covariance);
        for (int i = 0; i < 39; i++) {
            assertThat(viaGram[i]).as("eigenvalue %d", i).isCloseTo(direct[i], within(1e-9 * (1 + direct[0])));
        }
    }
}
