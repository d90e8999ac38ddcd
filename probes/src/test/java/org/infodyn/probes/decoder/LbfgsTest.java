package org.infodyn.probes.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class LbfgsTest {

    /** f(x) = ½ Σ a_i (x_i − c_i)², an ill-conditioned (1 : 1e4) separable quadratic. */
    private static DifferentiableFunction quadratic(double[] a, double[] c) {
        return new DifferentiableFunction() {
            @Override
            public int dimension() {
                return a.length;
            }

            @Override
            public double valueAndGradient(double[] x, double[] g) {
                double f = 0;
                for (int i = 0; i < x.length; i++) {
                    double r = x[i] - c[i];
                    f += 0.5 * a[i] * r * r;
                    g[i] = a[i] * r;
                }
                return f;
            }
        };
    }

    /** Chained Rosenbrock: Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1). */
    private static DifferentiableFunction rosenbrock(int n) {
        return new DifferentiableFunction() {
            @Override
            public int dimension() {
                return n;
            }

            @Override
            public double valueAndGradient(double[] x, double[] g) {
                Arrays.fill(g, 0);
                double f = 0;
                for (int i = 0; i < n - 1; i++) {
                    double a = x[i + 1] - x[i] * x[i];
                    double b = 1 - x[i];
                    f += 100 * a * a + b * b;
                    g[i] += -400 * a * x[i] - 2 * b;
                    g[i + 1] += 200 * a;
                }
                return f;
            }
        };
    }

    @Test
    void minimisesAnIllConditionedQuadratic() {
        int n = 50;
        double[] a = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Math.pow(1e4, i / (n - 1.0));
            c[i] = Math.sin(i);
        }
        double[] x = new double[n];
        // (SciPy's L-BFGS-B with maxcor=10 needs ~900 iterations here too: a hard spectrum for L-BFGS.)
        Optimum r = new Lbfgs(10, 5000, 1e-8).minimize(quadratic(a, c), x);
        assertThat(r.termination()).isEqualTo(Optimum.Termination.GRADIENT);
        for (int i = 0; i < n; i++) {
            assertThat(x[i]).isCloseTo(c[i], within(1e-6));
        }
        assertThat(r.value()).isLessThan(1e-15);
    }

    @Test
    void minimisesRosenbrockFromTheClassicStart() {
        for (int n : new int[] {2, 10}) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = i % 2 == 0 ? -1.2 : 1;
            }
            Optimum r = new Lbfgs(10, 2000, 1e-9).minimize(rosenbrock(n), x);
            assertThat(r.value()).as("n=%d: %s", n, r).isLessThan(1e-12);
            for (double v : x) {
                assertThat(v).isCloseTo(1, within(1e-5));
            }
        }
    }

    @Test
    void stopsImmediatelyAtTheOptimum() {
        double[] c = {1, 2, 3};
        double[] x = c.clone();
        Optimum r = new Lbfgs(5, 100, 1e-8).minimize(quadratic(new double[] {1, 2, 3}, c), x);
        assertThat(r.iterations()).isZero();
        assertThat(r.evaluations()).isEqualTo(1);
        assertThat(r.termination()).isEqualTo(Optimum.Termination.GRADIENT);
    }

    @Test
    void reportsANonFiniteStartInsteadOfLooping() {
        DifferentiableFunction nan = new DifferentiableFunction() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public double valueAndGradient(double[] x, double[] g) {
                g[0] = Double.NaN;
                return Double.NaN;
            }
        };
        assertThat(new Lbfgs(5, 100, 1e-8).minimize(nan, new double[1]).termination())
                .isEqualTo(Optimum.Termination.NOT_FINITE);
    }

    @Test
    void backsOffFromStepsWhereTheObjectiveIsNotFinite() {
        // f = x − ln(x) for x > 0 (∞ elsewhere): minimum 1 at x = 1; a unit step from 0.01 overshoots into x < 0.
        DifferentiableFunction barrier = new DifferentiableFunction() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public double valueAndGradient(double[] x, double[] g) {
                if (x[0] <= 0) {
                    g[0] = Double.NaN;
                    return Double.POSITIVE_INFINITY;
                }
                g[0] = 1 - 1 / x[0];
                return x[0] - Math.log(x[0]);
            }
        };
        double[] x = {3};
        Optimum r = new Lbfgs(5, 100, 1e-10).minimize(barrier, x);
        assertThat(x[0]).as("%s", r).isCloseTo(1, within(1e-6));
    }

    @Test
    void anExactPreconditionerSolvesAQuadraticInOneStep() {
        int n = 20;
        double[] a = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Math.pow(1e6, i / (n - 1.0));
            c[i] = Math.cos(i);
        }
        Lbfgs.Preconditioner exact = v -> {
            for (int i = 0; i < n; i++) {
                v[i] /= a[i];
            }
        };
        double[] x = new double[n];
        Optimum r = new Lbfgs(10, 100, 1e-9).minimize(quadratic(a, c), x, exact);
        assertThat(r.iterations()).isEqualTo(1);
        for (int i = 0; i < n; i++) {
            assertThat(x[i]).isCloseTo(c[i], within(1e-12));
        }
    }

    /**
     * One application of M⁻¹ per iteration (to the new gradient), not two: the two-loop recursion
     * takes M⁻¹ of its intermediate vector from the kept M⁻¹g and M⁻¹y, which is exact because M
     * is linear. A dense, ill-conditioned quadratic with a Jacobi (diagonal) preconditioner, so
     * that L-BFGS needs many iterations and its pairs matter.
     */
    @Test
    void appliesThePreconditionerOncePerIterationAndStillConverges() {
        int n = 40;
        double[][] q = new double[n][n];
        java.util.Random random = new java.util.Random(7);
        double[][] b = new double[n][n];
        for (double[] row : b) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) { // Q = BᵀB/n + diag(1e-3 … 1e3): dense and ill-conditioned
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (double[] row : b) {
                    sum += row[i] * row[j];
                }
                q[i][j] = sum / n;
            }
            q[i][i] += Math.pow(1e6, i / (n - 1.0)) * 1e-3;
        }
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = Math.sin(i + 1);
        }
        DifferentiableFunction f = new DifferentiableFunction() {
            @Override
            public int dimension() {
                return n;
            }

            @Override
            public double valueAndGradient(double[] x, double[] g) { // ½ (x − c)ᵀQ(x − c)
                double value = 0;
                for (int i = 0; i < n; i++) {
                    double gi = 0;
                    for (int j = 0; j < n; j++) {
                        gi += q[i][j] * (x[j] - c[j]);
                    }
                    g[i] = gi;
                    value += 0.5 * (x[i] - c[i]) * gi;
                }
                return value;
            }
        };
        int[] applications = {0};
        Lbfgs.Preconditioner jacobi = v -> {
            applications[0]++;
            for (int i = 0; i < n; i++) {
                v[i] /= q[i][i];
            }
        };
        double[] x = new double[n];
        Optimum r = new Lbfgs(5, 1000, 1e-12).minimize(f, x, jacobi);
        assertThat(r.termination()).as("%s", r).isEqualTo(Optimum.Termination.GRADIENT);
        assertThat(r.iterations()).as("%s", r).isGreaterThan(10);
        assertThat(applications[0]).as("one per iteration, none at the converged point: %s", r).isEqualTo(r.iterations());
        for (int i = 0; i < n; i++) {
            assertThat(x[i]).isCloseTo(c[i], within(1e-8));
        }
    }
}
