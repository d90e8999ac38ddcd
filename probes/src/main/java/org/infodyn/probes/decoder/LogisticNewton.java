package org.infodyn.probes.decoder;

/**
 * Newton's method for {@link BinaryLogisticObjective}: Newton steps solved by {@link NewtonStep}
 * (by CG preconditioned with the factor of an earlier Hessian, or exactly), Armijo backtracking
 * on the step. Newton needs a handful of iterations where L-BFGS needs hundreds on the ill-conditioned
 * (correlated-feature, nearly separable) problems that hidden layers pose, and it converges
 * superlinearly, so the solution is far more precise than the tolerance asks.
 *
 * <p>One instance serves the successive fits of one decoder: {@link NewtonStep} keeps its
 * Hessian factor from one fit to the next, which is what makes warm-started fits cheap.
 *
 * <p>Stopping rules as {@link Lbfgs}: gradient max-abs ≤ tolerance·max(1, |f|), relative change
 * of f below 1e-12, the iteration budget, or no acceptable step. Keeps its work arrays; not
 * thread-safe.
 */
final class LogisticNewton {
    private static final double ARMIJO = 1e-4;
    private static final int MAX_HALVINGS = 50;

    private final int maxIterations;
    private final double tolerance;
    private int dimension = -1;
    private double[] grad;
    private double[] step;
    private double[] trial;
    private NewtonStep newtonStep;

    LogisticNewton(int maxIterations, double tolerance) {
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    private void ensureCapacity(int m) {
        if (m != dimension) {
            dimension = m;
            grad = new double[m];
            step = new double[m];
            trial = new double[m];
            newtonStep = new NewtonStep(m);
        }
    }

    /**
     * Minimises {@code f} from {@code theta}.
     *
     * @param theta the start on entry, the solution on return
     */
    Optimum minimize(BinaryLogisticObjective f, double[] theta) {
        int m = f.dimension();
        ensureCapacity(m);
        int evaluations = 1;
        double fx = f.forward(theta);
        if (!Double.isFinite(fx)) {
            return new Optimum(fx, 0, evaluations, Optimum.Termination.NOT_FINITE);
        }
        for (int iter = 0; iter < maxIterations; iter++) {
            f.gradient(theta, grad);
            if (Optimum.gradientConverged(fx, grad, tolerance)) {
                return new Optimum(fx, iter, evaluations, Optimum.Termination.GRADIENT);
            }
            if (!newtonStep.solve(f, grad, step)) {
                return new Optimum(fx, iter, evaluations, Optimum.Termination.NOT_FINITE);
            }
            double slope = Kernels.dot(grad, step, m);
            if (!(slope < 0)) {
                return new Optimum(fx, iter, evaluations, Optimum.Termination.LINE_SEARCH);
            }
            double alpha = 1;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int h = 0; h < MAX_HALVINGS && !accepted; h++) {
                for (int j = 0; j < m; j++) {
                    trial[j] = theta[j] + alpha * step[j];
                }
                fNew = f.forward(trial);
                evaluations++;
                if (fNew <= fx + ARMIJO * alpha * slope) {
                    accepted = true;
                } else {
                    alpha *= 0.5;
                }
            }
            if (!accepted) {
                return new Optimum(fx, iter, evaluations, Optimum.Termination.LINE_SEARCH);
            }
            System.arraycopy(trial, 0, theta, 0, m);
            double before = fx;
            fx = fNew;
            if (Optimum.stalled(before, fx)) {
                f.gradient(theta, grad);
                return new Optimum(fx, iter + 1, evaluations, Optimum.gradientConverged(fx, grad, tolerance)
                        ? Optimum.Termination.GRADIENT : Optimum.Termination.OBJECTIVE_CHANGE);
            }
        }
        f.gradient(theta, grad);
        return new Optimum(fx, maxIterations, evaluations, Optimum.gradientConverged(fx, grad, tolerance)
                ? Optimum.Termination.GRADIENT : Optimum.Termination.MAX_ITERATIONS);
    }
}
