package org.infodyn.probes.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.infodyn.api.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The blocked kernels against plain definitions, at sizes around the block and tile edges. */
class LinearAlgebraTest {

    private static double[][] gaussian(Rng rng, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] r : a) {
            for (int j = 0; j < cols; j++) {
                r[j] = rng.nextGaussian();
            }
        }
        return a;
    }

    private static double[][] transpose(double[][] a, int rows, int cols) {
        double[][] t = new double[cols][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** A = BᵀB + shift·I: symmetric positive definite, full storage. */
    private static double[][] spd(Rng rng, int m, double shift) {
        double[][] b = gaussian(rng, m + 3, m);
        double[][] bt = transpose(b, m + 3, m);
        double[][] a = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                a[i][j] = dot(bt[i], bt[j]) + (i == j ? shift : 0);
            }
        }
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 63, 64, 65, 130, 1030})
    void theTiledProductIsTheGramMatrix(int m) {
        Rng rng = new Rng(m);
        int len = 7 + m % 5;
        double[][] v = gaussian(rng, m, len);
        double[][] g = new double[m][m];
        Kernels.addProductUpper(g, v, transpose(v, m, len), 0, m, len);
        for (int a = 0; a < m; a += Math.max(1, m / 37)) {
            for (int b = 0; b < m; b++) {
                double expected = b >= a ? dot(v[a], v[b]) : 0;
                assertThat(g[a][b]).as("G[%d][%d]", a, b).isCloseTo(expected, within(1e-12 * len));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 64, 300})
    void theWeightedGramOfChosenSamplesIsItsDefinition(int d) {
        Rng rng = new Rng(7 * d);
        int n = 90;
        double[][] rows = gaussian(rng, n, d);
        DesignMatrix x = new DesignMatrix(rows, d);
        double[] w = new double[n];
        int[] chosen = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            w[i] = rng.nextDouble();
            if (i % 3 != 1) {
                chosen[count++] = i;
            }
        }
        double[][] g = new double[d][d];
        double[][] scratch = x.addWeightedGramUpper(g, w, chosen, count, null);
        double[][] again = new double[d][d];
        assertThat(x.addWeightedGramUpper(again, w, chosen, count, scratch)).as("the scratch is reused").isSameAs(scratch);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double expected = 0;
                for (int q = 0; q < count; q++) {
                    expected += b >= a ? w[chosen[q]] * rows[chosen[q]][a] * rows[chosen[q]][b] : 0;
                }
                assertThat(g[a][b]).as("G[%d][%d]", a, b).isCloseTo(expected, within(1e-12 * n));
                assertThat(again[a][b]).isEqualTo(g[a][b]);
            }
        }
    }

    /** With every sample at Böhning's curvature a, the curvature preconditioner is Böhning's. */
    @Test
    void theCurvaturePreconditionerAtTheBoundIsBoehnings() {
        Rng rng = new Rng(12);
        int n = 50;
        int d = 20;
        int blocks = 3;
        DesignMatrix x = new DesignMatrix(gaussian(rng, n, d), d);
        double[] s = new double[n];
        Arrays.fill(s, 0.5);
        GramPreconditioner bound = new GramPreconditioner(x, blocks, 0.5, 1e-3);
        GramPreconditioner atCurvature = GramPreconditioner.atCurvature(x, s, blocks, 1e-3);
        double[] v = gaussian(rng, 1, blocks * (d + 1))[0];
        double[] u = v.clone();
        bound.applyInverse(v);
        atCurvature.applyInverse(u);
        for (int i = 0; i < v.length; i++) {
            assertThat(u[i]).as("entry %d", i).isCloseTo(v[i], within(1e-9 * (1 + Math.abs(v[i]))));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 31, 32, 33, 100, 257})
    void theFactorSolvesSymmetricPositiveDefiniteSystems(int m) {
        Rng rng = new Rng(100 + m);
        double[][] a = spd(rng, m, 0.5);
        SpdFactor f = SpdFactor.of(a, m);
        assertThat(f).isNotNull();
        assertThat(f.damping()).isZero();
        double[][] x = gaussian(rng, 3, m);
        double[][] b = new double[3][m];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < m; i++) {
                b[c][i] = dot(a[i], x[c]);
            }
        }
        f.solveInPlace(b, 3);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < m; i++) {
                assertThat(b[c][i]).as("x[%d][%d]", c, i).isCloseTo(x[c][i], within(1e-8 * (1 + Math.abs(x[c][i]))));
            }
        }
    }

    /** Several right-hand sides at once (four per pass, then the rest) give exactly what one at a time gives. */
    @ParameterizedTest
    @ValueSource(ints = {4, 5, 10})
    void rightHandSidesSolvedTogetherEqualThoseSolvedAlone(int count) {
        Rng rng = new Rng(200 + count);
        int m = 133;
        SpdFactor f = SpdFactor.of(spd(rng, m, 0.5), m);
        double[][] together = gaussian(rng, count, m);
        double[][] alone = new double[count][];
        for (int c = 0; c < count; c++) {
            alone[c] = together[c].clone();
            f.solveInPlace(alone[c]);
        }
        f.solveInPlace(together, count);
        for (int c = 0; c < count; c++) {
            assertThat(together[c]).as("right-hand side %d", c).containsExactly(alone[c]);
        }
    }

    @Test
    void aSemiDefiniteMatrixIsFactoredWithTheSmallestDampingThatWorks() {
        Rng rng = new Rng(7);
        int m = 40;
        double[][] v = gaussian(rng, 10, m); // rank 10
        double[][] vt = transpose(v, 10, m);
        double[][] a = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                a[i][j] = dot(vt[i], vt[j]);
            }
        }
        SpdFactor f = SpdFactor.of(a, m);
        assertThat(f).isNotNull();
        assertThat(f.damping()).isGreaterThan(0).isLessThan(1e-3);
        double[][] nan = {{Double.NaN}};
        assertThat(SpdFactor.of(nan, 1)).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 33, 70})
    void pivotedCholeskyRevealsTheRankAndReproducesTheMatrix(int rank) {
        Rng rng = new Rng(200 + rank);
        int n = 90;
        double[][] v = gaussian(rng, n, rank); // K = V Vᵀ has rank `rank` (≤ n)
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                k[i][j] = dot(v[i], v[j]);
            }
        }
        double[][] work = new double[n][];
        for (int i = 0; i < n; i++) {
            work[i] = k[i].clone();
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int r = BlockedCholesky.factorInPlace(work, n, order, 1e-12 * 2 * rank);
        assertThat(r).isEqualTo(rank);
        // (UᵀU)[p][q] over positions = K[order[p]][order[q]]
        for (int p = 0; p < n; p++) {
            for (int q = p; q < n; q++) {
                double s = 0;
                for (int c = 0; c <= Math.min(p, r - 1); c++) {
                    s += work[c][p] * work[c][q];
                }
                int i = Math.min(order[p], order[q]);
                int j = Math.max(order[p], order[q]);
                assertThat(s).as("K at positions %d, %d", p, q).isCloseTo(k[i][j], within(1e-9 * (1 + Math.abs(k[i][j]))));
            }
        }
    }

    @Test
    void theRowSpaceKeepsLogitsAndNormsAndProjectsWeights() {
        Rng rng = new Rng(9);
        int n = 40;
        int d = 150;
        double[] values = new double[n * d];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextGaussian();
        }
        DesignMatrix x = DesignMatrix.ofRowMajor(values, n, d);
        RowSpace space = RowSpace.of(x);
        assertThat(space).isSameAs(RowSpace.of(x)); // computed once per matrix
        assertThat(space.rank()).isEqualTo(n);
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = rng.nextGaussian();
        }
        double[] beta = new double[n];
        space.coordinates(w, 0, beta, 0);
        double[] zb = new double[n];
        space.basis().times(beta, 0, zb);
        double[] xw = new double[n];
        x.times(w, 0, xw);
        for (int p = 0; p < n; p++) {
            assertThat(zb[p]).isCloseTo(xw[space.sample(p)], within(1e-9));
        }
        double[] back = new double[d];
        space.weights(beta, 0, back, 0);
        double[] xBack = new double[n];
        x.times(back, 0, xBack);
        for (int i = 0; i < n; i++) {
            assertThat(xBack[i]).isCloseTo(xw[i], within(1e-8)); // the same logits…
        }
        assertThat(dot(back, back)).isCloseTo(dot(beta, beta), within(1e-8)) // …with ‖w‖ = ‖β‖,
                .isLessThan(dot(w, w)); // the minimum-norm weights (w had a part outside the span)
    }
}
