package org.infodyn.probes.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.infodyn.api.random.Rng;
import org.junit.jupiter.api.Test;

class NewtonStepTest {

    /** Correlated features (hidden units look like this) whose mixing drifts with {@code drift}. */
    private static DesignMatrix correlated(Rng rng, double[][] mixing, int n) {
        int d = mixing.length;
        int inputs = mixing[0].length;
        double[] v = new double[n * d];
        double[] u = new double[inputs];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < inputs; q++) {
                u[q] = rng.nextGaussian();
            }
            for (int j = 0; j < d; j++) {
                double s = 0.3 * rng.nextGaussian();
                for (int q = 0; q < inputs; q++) {
                    s += mixing[j][q] * u[q];
                }
                v[i * d + j] = s;
            }
        }
        return DesignMatrix.ofRowMajor(v, n, d);
    }

    private static boolean[] labels(DesignMatrix x, Rng rng) {
        boolean[] pos = new boolean[x.rows()];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = x.get(i, 0) - x.get(i, 1) + 0.5 * rng.nextGaussian() > 0;
        }
        return pos;
    }

    private static double[][] mixing(Rng rng, int d, int inputs) {
        double[][] m = new double[d][inputs];
        for (double[] row : m) {
            for (int q = 0; q < inputs; q++) {
                row[q] = rng.nextGaussian();
            }
        }
        return m;
    }

    /** The full Hessian (both triangles) of f at its last gradient point. */
    private static double[][] fullHessian(BinaryLogisticObjective f) {
        int m = f.dimension();
        double[][] h = new double[m][m];
        assertThat(f.hessian(h, new double[m], 0)).as("exact").isFalse();
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < j; k++) {
                h[j][k] = h[k][j];
            }
        }
        return h;
    }

    private static double residualNorm(double[][] h, double[] s, double[] g) {
        double sum = 0;
        for (int j = 0; j < h.length; j++) {
            double r = g[j];
            for (int k = 0; k < h.length; k++) {
                r += h[j][k] * s[k];
            }
            sum += r * r;
        }
        return Math.sqrt(sum);
    }

    @Test
    void hessianTimesIsTheHessianTimesTheVector() {
        Rng rng = new Rng(1);
        DesignMatrix x = correlated(rng, mixing(rng, 7, 3), 300);
        BinaryLogisticObjective f = new BinaryLogisticObjective(x, labels(x, rng), 0.3);
        double[] theta = new double[8];
        double[] v = new double[8];
        for (int j = 0; j < 8; j++) {
            theta[j] = 0.4 * rng.nextGaussian();
            v[j] = rng.nextGaussian();
        }
        f.forward(theta);
        f.gradient(theta, new double[8]);
        double[][] h = fullHessian(f);
        double[] hv = new double[8];
        f.hessianTimes(v, hv);
        for (int j = 0; j < 8; j++) {
            assertThat(hv[j]).isCloseTo(Kernels.dot(h[j], v, 8), within(1e-12));
        }
    }

    private static void assertSolvesToTheForcingAccuracy(BinaryLogisticObjective f, double[] g, double[] s) {
        int m = g.length;
        double gNorm = Math.sqrt(Kernels.dot(g, g, m));
        assertThat(residualNorm(fullHessian(f), s, g)).isLessThanOrEqualTo(Math.min(0.1, Math.sqrt(gNorm)) * gNorm);
        assertThat(Kernels.dot(g, s, m)).as("a descent direction").isNegative();
    }

    @Test
    void aKeptFactorSolvesLaterSystemsByCgToTheForcingAccuracy() {
        Rng rng = new Rng(2);
        int d = 60; // above MIN_CG_PARAMETERS
        double[][] mixing = mixing(rng, d, 6);
        DesignMatrix x = correlated(rng, mixing, 800);
        BinaryLogisticObjective f = new BinaryLogisticObjective(x, labels(x, rng), 1e-4);
        NewtonStep newton = new NewtonStep(d + 1);
        double[] theta = new double[d + 1];
        double[] g = new double[d + 1];
        double[] s = new double[d + 1];
        f.forward(theta);
        f.gradient(theta, g);
        assertThat(newton.solve(f, g, s)).isTrue();
        assertThat(newton.hessiansBuilt()).isEqualTo(1);
        assertSolvesToTheForcingAccuracy(f, g, s);
        for (int j = 0; j <= d; j++) {
            theta[j] += 0.5 * s[j]; // half a Newton step: a nearby point with another Hessian
        }
        f.forward(theta);
        f.gradient(theta, g);
        assertThat(newton.solve(f, g, s)).isTrue();
        assertThat(newton.hessiansBuilt()).as("solved by CG with the kept factor").isEqualTo(1);
        assertSolvesToTheForcingAccuracy(f, g, s);
    }

    @Test
    void theHessianWithoutNegligibleSamplesLeavesOutOnlyThose() {
        Rng rng = new Rng(4);
        int d = 5;
        DesignMatrix x = correlated(rng, mixing(rng, d, 2), 400);
        boolean[] pos = new boolean[x.rows()];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = x.get(i, 0) > 0; // separable: far from the boundary the curvature is tiny
        }
        BinaryLogisticObjective f = new BinaryLogisticObjective(x, pos, 1e-4);
        double[] theta = new double[d + 1];
        theta[0] = 8;
        f.forward(theta);
        f.gradient(theta, new double[d + 1]);
        double[][] exact = fullHessian(f);
        double[][] approximate = new double[d + 1][d + 1];
        assertThat(f.hessian(approximate, new double[d + 1], NewtonStep.NEGLIGIBLE_CURVATURE)).isTrue();
        // Expected: the weight block summed over the samples of non-negligible curvature only.
        int n = x.rows();
        double[] curvature = new double[n];
        double largest = 0;
        for (int i = 0; i < n; i++) {
            double p = 1 / (1 + Math.exp(-(theta[d] + Kernels.dot(theta, x.row(i), d))));
            curvature[i] = p * (1 - p) / n;
            largest = Math.max(largest, curvature[i]);
        }
        int kept = 0;
        double[][] expected = new double[d][d];
        for (int i = 0; i < n; i++) {
            if (curvature[i] >= NewtonStep.NEGLIGIBLE_CURVATURE * largest) {
                kept++;
                for (int j = 0; j < d; j++) {
                    for (int k = 0; k < d; k++) {
                        expected[j][k] += curvature[i] * x.get(i, j) * x.get(i, k);
                    }
                }
            }
        }
        assertThat(kept).isBetween(1, n / 2);
        for (int j = 0; j < d; j++) {
            for (int k = j; k < d; k++) {
                double penalty = j == k ? 0.5e-4 : 0;
                assertThat(approximate[j][k]).as("[%d][%d]", j, k).isCloseTo(expected[j][k] + penalty, within(1e-12));
            }
        }
        for (int j = 0; j <= d; j++) {
            assertThat(approximate[j][d]).as("the bias row keeps every sample").isEqualTo(exact[j][d]);
        }
    }

    @Test
    void warmStartedFitsWithAKeptFactorReachTheOptimaOfColdExactOnes() {
        Rng rng = new Rng(3);
        int d = 50;
        int inputs = 6;
        double[][] mixing = mixing(rng, d, inputs);
        LogisticNewton kept = new LogisticNewton(100, 1e-9);
        double[] warm = new double[d + 1];
        for (int point = 0; point < 6; point++) {
            for (double[] row : mixing) {
                for (int q = 0; q < inputs; q++) {
                    row[q] += 0.05 * rng.nextGaussian(); // "training" drifts the representation
                }
            }
            DesignMatrix x = correlated(rng, mixing, 1000);
            boolean[] pos = labels(x, rng);
            Optimum a = kept.minimize(new BinaryLogisticObjective(x, pos, 1e-4), warm);
            double[] cold = new double[d + 1];
            Optimum b = new Lbfgs(10, 100_000, 1e-12).minimize(new BinaryLogisticObjective(x, pos, 1e-4), cold,
                    new GramPreconditioner(x, 1, 0.25, 0.5e-4));
            assertThat(a.termination()).isEqualTo(Optimum.Termination.GRADIENT);
            assertThat(a.value()).isCloseTo(b.value(), within(1e-12));
            for (int j = 0; j <= d; j++) {
                assertThat(warm[j]).as("point %d, θ[%d]", point, j).isCloseTo(cold[j], within(1e-5 * (1 + Math.abs(cold[j]))));
            }
        }
    }
}
