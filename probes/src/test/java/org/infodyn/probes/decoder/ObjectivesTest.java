package org.infodyn.probes.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.infodyn.api.random.Rng;
import org.junit.jupiter.api.Test;

class ObjectivesTest {

    private static DesignMatrix gaussian(Rng rng, int n, int d) {
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return DesignMatrix.ofRowMajor(v, n, d);
    }

    /** Central finite differences against the analytic gradient, at a random point. */
    private static void assertGradientMatches(DifferentiableFunction f, Rng rng) {
        int m = f.dimension();
        double[] x = new double[m];
        for (int i = 0; i < m; i++) {
            x[i] = 0.5 * rng.nextGaussian();
        }
        double[] g = new double[m];
        f.valueAndGradient(x, g);
        double[] scratch = new double[m];
        double h = 1e-6;
        for (int i = 0; i < m; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = f.valueAndGradient(x, scratch);
            x[i] = keep - h;
            double down = f.valueAndGradient(x, scratch);
            x[i] = keep;
            assertThat(g[i]).as("∂f/∂x[%d]", i).isCloseTo((up - down) / (2 * h), within(1e-7));
        }
    }

    @Test
    void multinomialGradientMatchesFiniteDifferences() {
        Rng rng = new Rng(1);
        int n = 50;
        int d = 4;
        int k = 3;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(k);
        }
        assertGradientMatches(new MultinomialObjective(gaussian(rng, n, d), y, k, 0.3), rng);
    }

    @Test
    void binaryGradientMatchesFiniteDifferences() {
        Rng rng = new Rng(2);
        int n = 50;
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            pos[i] = rng.nextBoolean(0.4);
        }
        assertGradientMatches(new BinaryLogisticObjective(gaussian(rng, n, 5), pos, 0.3), rng);
    }

    @Test
    void binaryAndMultinomialObjectivesHaveTheSameMinimum() {
        Rng rng = new Rng(3);
        int n = 400;
        int d = 6;
        DesignMatrix x = gaussian(rng, n, d);
        int[] y = new int[n];
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            double t = x.get(i, 0) - 0.5 * x.get(i, 1) + 0.7 * rng.nextGaussian();
            y[i] = t > 0 ? 1 : 0;
            pos[i] = y[i] == 1;
        }
        double l2 = 1e-2;
        double[] multi = new double[2 * (d + 1)];
        double fm = new Lbfgs(10, 1000, 1e-12).minimize(new MultinomialObjective(x, y, 2, l2), multi).value();
        double[] bin = new double[d + 1];
        double fb = new Lbfgs(10, 1000, 1e-12).minimize(new BinaryLogisticObjective(x, pos, l2), bin).value();
        assertThat(fb).isCloseTo(fm, within(1e-12));
        for (int j = 0; j < d; j++) {
            assertThat(bin[j]).isCloseTo(multi[d + j] - multi[j], within(1e-6));
            assertThat(multi[d + j]).as("min-norm: W_1 = −W_0").isCloseTo(-multi[j], within(1e-6));
        }
    }

    @Test
    void multinomialLossIsFiniteForExtremeLogits() {
        DesignMatrix x = DesignMatrix.ofRowMajor(new double[] {1, -1}, 2, 1);
        MultinomialObjective f = new MultinomialObjective(x, new int[] {0, 0}, 2, 0);
        double[] theta = {-1000, 1000, 0, 0}; // W = (−1000, 1000): sample 0 has logit gap 2000 against its class
        double[] g = new double[4];
        double v = f.valueAndGradient(theta, g);
        assertThat(v).isCloseTo(1000, within(1e-9)); // (2000 + 0) / 2
        assertThat(Arrays.stream(g).allMatch(Double::isFinite)).isTrue();
    }

    @Test
    void newtonAndLbfgsReachTheSameBinaryOptimum() {
        Rng rng = new Rng(4);
        int n = 500;
        int d = 8;
        // Correlated features (an ill-conditioned design) and a nearly separable variable.
        double[] v = new double[n * d];
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            double common = rng.nextGaussian();
            for (int j = 0; j < d; j++) {
                v[i * d + j] = common + 0.05 * rng.nextGaussian();
            }
            pos[i] = common + 0.02 * rng.nextGaussian() > 0;
        }
        DesignMatrix x = DesignMatrix.ofRowMajor(v, n, d);
        double[] viaNewton = new double[d + 1];
        Optimum newton = new LogisticNewton(100, 1e-10).minimize(new BinaryLogisticObjective(x, pos, 1e-4), viaNewton);
        double[] viaLbfgs = new double[d + 1];
        Optimum lbfgs = new Lbfgs(10, 20_000, 1e-10).minimize(new BinaryLogisticObjective(x, pos, 1e-4), viaLbfgs);
        assertThat(newton.termination()).isEqualTo(Optimum.Termination.GRADIENT);
        assertThat(newton.iterations()).as("%s vs %s", newton, lbfgs).isLessThan(30);
        assertThat(newton.value()).isCloseTo(lbfgs.value(), within(1e-10));
        for (int j = 0; j <= d; j++) {
            assertThat(viaNewton[j]).isCloseTo(viaLbfgs[j], within(1e-3 * (1 + Math.abs(viaLbfgs[j]))));
        }
    }

    @Test
    void newtonCopesWithAConstantFeatureAndNoPenalty() {
        Rng rng = new Rng(5);
        int n = 200;
        double[] v = new double[n * 2];
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            v[2 * i] = rng.nextGaussian();
            v[2 * i + 1] = 0; // a dead unit after standardisation: a singular Hessian without penalty
            pos[i] = v[2 * i] + rng.nextGaussian() > 0;
        }
        double[] theta = new double[3];
        Optimum r = new LogisticNewton(100, 1e-9).minimize(
                new BinaryLogisticObjective(DesignMatrix.ofRowMajor(v, n, 2), pos, 0), theta);
        assertThat(r.termination()).isEqualTo(Optimum.Termination.GRADIENT);
        assertThat(theta[1]).isZero();
        assertThat(theta[0]).isGreaterThan(0.5);
    }

    @Test
    void theGramPreconditionerSpeedsUpCorrelatedProblemsWithoutChangingTheAnswer() {
        Rng rng = new Rng(6);
        int n = 600;
        int d = 12;
        int k = 4;
        double[] v = new double[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double a = rng.nextGaussian();
            double b = rng.nextGaussian();
            for (int j = 0; j < d; j++) {
                v[i * d + j] = (j % 2 == 0 ? a : b) + 0.05 * rng.nextGaussian(); // two clusters of near-copies
            }
            y[i] = (a > 0 ? 2 : 0) + (b + 0.3 * rng.nextGaussian() > 0 ? 1 : 0);
        }
        DesignMatrix x = DesignMatrix.ofRowMajor(v, n, d);
        double l2 = 1e-3;
        double[] plain = new double[k * (d + 1)];
        Optimum p = new Lbfgs(10, 20_000, 1e-10).minimize(new MultinomialObjective(x, y, k, l2), plain);
        double[] pre = new double[k * (d + 1)];
        Optimum q = new Lbfgs(10, 20_000, 1e-10).minimize(new MultinomialObjective(x, y, k, l2), pre,
                new GramPreconditioner(x, k, 0.5, l2));
        assertThat(q.value()).isCloseTo(p.value(), within(1e-10));
        assertThat(q.iterations()).as("%s vs %s", q, p).isLessThan(p.iterations());
        for (int j = 0; j < k * d; j++) {
            assertThat(pre[j]).isCloseTo(plain[j], within(1e-4));
        }
    }
}
