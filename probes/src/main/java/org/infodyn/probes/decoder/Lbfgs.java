package org.infodyn.probes.decoder;

import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * Limited-memory BFGS (Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., Alg. 7.4–7.5)
 * with a strong-Wolfe line search (Alg. 3.5–3.6, cubic interpolation, safeguarded bisection).
 *
 * <p>Stops when the gradient's largest absolute entry is at most
 * {@code tolerance · max(1, |f|)}, when an iteration changes f by less than
 * 1e-12 relative to |f|, after {@code maxIterations} iterations, or when the
 * line search can make no more progress (then the best point found is kept).
 *
 * <p>Optionally preconditioned: with a {@link Preconditioner} M ≈ ∇²f the initial inverse
 * Hessian of each two-loop recursion is {@code γ·M⁻¹} with {@code γ = sᵀy / yᵀM⁻¹y} (and M⁻¹
 * itself before the first pair), instead of {@code γ·I} with {@code γ = sᵀy / yᵀy}. A good M
 * removes the ill-conditioning that correlated features cause. The stopping test always uses
 * the true gradient. M⁻¹ is applied once per iteration, to the new gradient: the two-loop
 * recursion's {@code M⁻¹q} and γ's {@code M⁻¹y} are combinations of the kept {@code M⁻¹g} and
 * {@code M⁻¹y} (M is linear), which halves the cost where an application is a pass over a large
 * factor (the row-space fits: 4 ms of a ~10 ms iteration at 2,000 samples × 10 classes).
 *
 * <p>An instance keeps its work arrays between calls so that the many small fits of a probe
 * series allocate nothing inside iterations; it is therefore not thread-safe.
 */
public final class Lbfgs {

    /** An approximation M of the Hessian, applied as its inverse. */
    public interface Preconditioner {
        /**
         * Replaces {@code v} by {@code M⁻¹ v}; M symmetric positive definite and the same linear
         * map at every call of one minimisation (the optimiser combines earlier results).
         */
        void applyInverse(double[] v);
    }

    private static final double C1 = 1e-4; // sufficient decrease (Armijo)
    private static final double C2 = 0.9; // curvature: the usual quasi-Newton choice
    private static final int MAX_LINE_SEARCH_EVALUATIONS = 30;

    private final int memory;
    private final int maxIterations;
    private final double tolerance;

    private int n = -1;
    private double[] g;
    private double[] xTrial;
    private double[] gTrial;
    private double[] direction;
    private double[][] s;
    private double[][] y;
    private double[] rho;
    private double[] alpha;
    private double[] scratch;
    // Preconditioned runs: M⁻¹g at the current point and M⁻¹y of each stored pair, so that each
    // iteration applies M⁻¹ once (to the new gradient) instead of twice (see searchDirection).
    private double[] mg;
    private double[] mgNext;
    private double[][] my;
    private double newestCurvature; // yᵀM⁻¹y of the newest pair (preconditioned runs)
    private Preconditioner preconditioner;
    private int evaluations;
    private double lastValue; // f at the step the last line search accepted

    /**
     * @param memory correction pairs kept (m), ≥ 1; 10 is a good default
     * @param maxIterations iteration budget, ≥ 0
     * @param tolerance gradient tolerance relative to max(1, |f|), ≥ 0
     */
    public Lbfgs(int memory, int maxIterations, double tolerance) {
        if (memory < 1 || maxIterations < 0 || !(tolerance >= 0)) {
            throw new IllegalArgumentException("memory " + memory + ", maxIterations " + maxIterations
                    + ", tolerance " + tolerance);
        }
        this.memory = memory;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    private void ensureCapacity(int dimension) {
        if (dimension == n) {
            return;
        }
        n = dimension;
        g = new double[n];
        xTrial = new double[n];
        gTrial = new double[n];
        direction = new double[n];
        s = new double[memory][n];
        y = new double[memory][n];
        rho = new double[memory];
        alpha = new double[memory];
        scratch = new double[n];
        mg = null; // the preconditioned runs' arrays: allocated by the first such run
        mgNext = null;
        my = null;
    }

    /**
     * Minimises {@code f} starting from {@code x}.
     *
     * @param f the objective
     * @param x the starting point on entry, the solution on return (owned by the caller)
     * @return the value at the solution and why the optimiser stopped
     */
    public Optimum minimize(DifferentiableFunction f, double[] x) {
        return run(f, x, null, maxIterations);
    }

    /**
     * Minimises {@code f} starting from {@code x}, preconditioned by {@code m}.
     *
     * @param f the objective
     * @param x the starting point on entry, the solution on return (owned by the caller)
     * @param m an approximation of the Hessian of f; ideally an upper bound, so that the first
     *     step {@code −M⁻¹g} already decreases f
     * @return the value at the solution and why the optimiser stopped
     */
    public Optimum minimize(DifferentiableFunction f, double[] x, Preconditioner m) {
        return run(f, x, Objects.requireNonNull(m), maxIterations);
    }

    /**
     * {@link #minimize(DifferentiableFunction, double[], Preconditioner)} with at most
     * {@code budget} iterations (≤ the instance's own), for callers that restart with a new
     * preconditioner now and then.
     */
    Optimum minimize(DifferentiableFunction f, double[] x, Preconditioner m, int budget) {
        if (budget < 0 || budget > maxIterations) {
            throw new IllegalArgumentException("budget " + budget + " outside [0, " + maxIterations + "]");
        }
        return run(f, x, Objects.requireNonNull(m), budget);
    }

    private Optimum run(DifferentiableFunction f, double[] x, Preconditioner m, int budget) {
        preconditioner = m;
        try {
            return iterate(f, x, budget);
        } finally {
            preconditioner = null;
        }
    }

    private Optimum iterate(DifferentiableFunction f, double[] x, int budget) {
        if (x.length != f.dimension()) {
            throw new IllegalArgumentException("x has " + x.length + " entries, f has " + f.dimension() + " variables");
        }
        ensureCapacity(x.length);
        if (preconditioner != null && my == null) {
            mg = new double[n];
            mgNext = new double[n];
            my = new double[memory][n];
        }
        evaluations = 0;
        double fx = evaluate(f, x, g);
        if (!Double.isFinite(fx) || !allFinite(g)) {
            return new Optimum(fx, 0, evaluations, Optimum.Termination.NOT_FINITE);
        }
        int stored = 0; // correction pairs held
        int newest = -1; // slot of the newest pair (ring buffer)
        boolean pairAdded = false; // the last step stored a pair whose M⁻¹y is still to be set
        for (int iter = 0; iter < budget; iter++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("fit interrupted (the run is stopping)");
            }
            if (converged(fx, g)) {
                return new Optimum(fx, iter, evaluations, Optimum.Termination.GRADIENT);
            }
            if (preconditioner != null) { // the iteration's one application of M⁻¹
                System.arraycopy(g, 0, mgNext, 0, n);
                preconditioner.applyInverse(mgNext);
                if (pairAdded) { // M⁻¹y = M⁻¹g_new − M⁻¹g_old: M is linear
                    double[] myk = my[newest];
                    for (int i = 0; i < n; i++) {
                        myk[i] = mgNext[i] - mg[i];
                    }
                    newestCurvature = dot(y[newest], myk);
                    if (!(newestCurvature > 0)) {
                        // The difference lost its accuracy (a step tiny against the gradient, M
                        // ill-conditioned): yᵀM⁻¹y must be positive, so solve for M⁻¹y itself.
                        System.arraycopy(y[newest], 0, myk, 0, n);
                        preconditioner.applyInverse(myk);
                        newestCurvature = dot(y[newest], myk);
                    }
                }
                double[] t = mg;
                mg = mgNext;
                mgNext = t;
            }
            pairAdded = false;
            double gamma = 1;
            if (stored > 0) {
                double curvature = preconditioner == null ? dot(y[newest], y[newest]) : newestCurvature;
                gamma = 1 / (rho[newest] * curvature);
            }
            searchDirection(stored, newest, gamma);
            double slope = dot(g, direction);
            if (!(slope < 0)) {
                // Not a descent direction (only after round-off trouble): restart from steepest descent.
                stored = 0;
                steepestDescent();
                slope = dot(g, direction);
            }
            double accepted = lineSearch(f, x, fx, slope, firstStep(stored, slope));
            if (Double.isNaN(accepted) && stored > 0) {
                // The quasi-Newton model misled us: forget it and try steepest descent once.
                stored = 0;
                steepestDescent();
                slope = dot(g, direction);
                accepted = lineSearch(f, x, fx, slope, firstStep(0, slope));
            }
            if (Double.isNaN(accepted)) {
                return new Optimum(fx, iter, evaluations, Optimum.Termination.LINE_SEARCH);
            }
            double fNew = lastValue;
            // Store the correction pair s = x_new − x, y = g_new − g (only when s·y > 0, which keeps
            // the inverse-Hessian model positive definite), then move.
            double sy = 0;
            double yy = 0;
            for (int i = 0; i < n; i++) {
                double si = xTrial[i] - x[i];
                double yi = gTrial[i] - g[i];
                sy += si * yi;
                yy += yi * yi;
            }
            if (sy > 1e-12 * yy && yy > 0) {
                int slot = (newest + 1) % memory;
                double[] sk = s[slot];
                double[] yk = y[slot];
                for (int i = 0; i < n; i++) {
                    sk[i] = xTrial[i] - x[i];
                    yk[i] = gTrial[i] - g[i];
                }
                rho[slot] = 1 / sy;
                newest = slot;
                stored = Math.min(stored + 1, memory);
                pairAdded = true;
            }
            System.arraycopy(xTrial, 0, x, 0, n);
            System.arraycopy(gTrial, 0, g, 0, n);
            double change = fx - fNew;
            fx = fNew;
            if (Optimum.stalled(fx + change, fx)) {
                return new Optimum(fx, iter + 1, evaluations,
                        converged(fx, g) ? Optimum.Termination.GRADIENT : Optimum.Termination.OBJECTIVE_CHANGE);
            }
        }
        return new Optimum(fx, budget, evaluations,
                converged(fx, g) ? Optimum.Termination.GRADIENT : Optimum.Termination.MAX_ITERATIONS);
    }

    private boolean converged(double fx, double[] grad) {
        return Optimum.gradientConverged(fx, grad, tolerance);
    }

    /**
     * The first trial step: 1 along a quasi-Newton direction or a preconditioned gradient
     * (both carry the scale of f); unit length in x along a plain gradient, whose scale is unknown.
     */
    private double firstStep(int stored, double slope) {
        return stored > 0 || preconditioner != null ? 1 : Math.min(1, 1 / Math.sqrt(-slope));
    }

    /** direction = −M⁻¹g (−g without a preconditioner): always a descent direction. */
    private void steepestDescent() {
        double[] from = preconditioner == null ? g : mg;
        for (int i = 0; i < n; i++) {
            direction[i] = -from[i];
        }
    }

    /**
     * Two-loop recursion: direction = −H·g with the stored pairs and H0 = gamma·M⁻¹ (M = I
     * without a preconditioner). With M, the first loop's {@code q = −g − Σ a_j y_j} is needed
     * only as {@code M⁻¹q = −M⁻¹g − Σ a_j M⁻¹y_j}, which the kept M⁻¹g and M⁻¹y_j give without a
     * solve: an application of M⁻¹ costs a pass over a factor of the size of the Gram matrix,
     * the axpys a pass over the pairs.
     */
    private void searchDirection(int stored, int newest, double gamma) {
        double[] q = preconditioner == null ? direction : scratch;
        for (int i = 0; i < n; i++) {
            q[i] = -g[i];
        }
        int slot = newest;
        for (int j = 0; j < stored; j++) {
            double a = rho[slot] * dot(s[slot], q);
            alpha[slot] = a;
            axpy(-a, y[slot], q);
            slot = (slot - 1 + memory) % memory;
        }
        if (preconditioner != null) {
            q = direction;
            for (int i = 0; i < n; i++) {
                q[i] = -mg[i];
            }
            slot = newest;
            for (int j = 0; j < stored; j++) {
                axpy(-alpha[slot], my[slot], q);
                slot = (slot - 1 + memory) % memory;
            }
        }
        for (int i = 0; i < n; i++) {
            q[i] *= gamma;
        }
        slot = (newest - stored + 1 + memory) % memory;
        for (int j = 0; j < stored; j++) {
            double b = rho[slot] * dot(y[slot], q);
            axpy(alpha[slot] - b, s[slot], q);
            slot = (slot + 1) % memory;
        }
    }

    /**
     * Strong-Wolfe line search along {@link #direction} from x. On success the accepted point is
     * in xTrial/gTrial, its value in {@link #lastValue}, and the step is returned; NaN when no
     * acceptable step was found.
     */
    private double lineSearch(DifferentiableFunction f, double[] x, double f0, double slope0, double firstStep) {
        double prevStep = 0;
        double prevValue = f0;
        double prevSlope = slope0;
        double step = firstStep;
        for (int i = 0; i < MAX_LINE_SEARCH_EVALUATIONS; i++) {
            double value = trial(f, x, step);
            double slope = dot(gTrial, direction);
            if (!Double.isFinite(value) || !Double.isFinite(slope)
                    || value > f0 + C1 * step * slope0 || (i > 0 && value >= prevValue)) {
                return zoom(f, x, f0, slope0, prevStep, prevValue, prevSlope, step, value, slope,
                        MAX_LINE_SEARCH_EVALUATIONS - i - 1);
            }
            if (Math.abs(slope) <= -C2 * slope0) {
                lastValue = value;
                return step;
            }
            if (slope >= 0) {
                return zoom(f, x, f0, slope0, step, value, slope, prevStep, prevValue, prevSlope,
                        MAX_LINE_SEARCH_EVALUATIONS - i - 1);
            }
            prevStep = step;
            prevValue = value;
            prevSlope = slope;
            step *= 4;
        }
        return stepIfDecreased(f, x, f0, prevStep);
    }

    /**
     * Zoom phase: {@code lo} satisfies sufficient decrease and has the lowest value seen,
     * {@code hi} brackets a step satisfying the strong Wolfe conditions with it.
     */
    private double zoom(DifferentiableFunction f, double[] x, double f0, double slope0,
            double lo, double fLo, double dLo, double hi, double fHi, double dHi, int budget) {
        for (int i = 0; i < budget; i++) {
            double step = interpolate(lo, fLo, dLo, hi, fHi, dHi);
            if (step == lo || step == hi) {
                break; // the bracket has shrunk to the resolution of doubles
            }
            double value = trial(f, x, step);
            double slope = dot(gTrial, direction);
            if (!Double.isFinite(value) || !Double.isFinite(slope)
                    || value > f0 + C1 * step * slope0 || value >= fLo) {
                hi = step;
                fHi = value;
                dHi = slope;
            } else {
                if (Math.abs(slope) <= -C2 * slope0) {
                    lastValue = value;
                    return step;
                }
                if (slope * (hi - lo) >= 0) {
                    hi = lo;
                    fHi = fLo;
                    dHi = dLo;
                }
                lo = step;
                fLo = value;
                dLo = slope;
            }
        }
        // Out of budget or resolution: the lowest point with sufficient decrease is still progress.
        return stepIfDecreased(f, x, f0, lo);
    }

    /** Takes step {@code lo} if it is a real (sufficient-decrease) step, else reports failure. */
    private double stepIfDecreased(DifferentiableFunction f, double[] x, double f0, double lo) {
        if (lo > 0) {
            double value = trial(f, x, lo);
            if (value < f0) {
                lastValue = value;
                return lo;
            }
        }
        return Double.NaN;
    }

    /**
     * The minimiser of the cubic through (a, fa, da) and (b, fb, db), kept at least 10 % of the
     * interval away from both ends; bisection when the cubic is undefined (e.g. fb not finite).
     */
    private static double interpolate(double a, double fa, double da, double b, double fb, double db) {
        double lowEnd = Math.min(a, b);
        double width = Math.abs(b - a);
        double candidate = Double.NaN;
        if (Double.isFinite(fb) && Double.isFinite(db)) {
            double d1 = da + db - 3 * (fa - fb) / (a - b);
            double disc = d1 * d1 - da * db;
            if (disc >= 0) {
                double d2 = Math.copySign(Math.sqrt(disc), b - a);
                candidate = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
            }
        }
        double margin = 0.1 * width;
        if (!(candidate >= lowEnd + margin && candidate <= lowEnd + width - margin)) {
            candidate = 0.5 * (a + b);
        }
        return candidate;
    }

    private double trial(DifferentiableFunction f, double[] x, double step) {
        for (int i = 0; i < n; i++) {
            xTrial[i] = x[i] + step * direction[i];
        }
        return evaluate(f, xTrial, gTrial);
    }

    private double evaluate(DifferentiableFunction f, double[] at, double[] grad) {
        evaluations++;
        return f.valueAndGradient(at, grad);
    }

    private static boolean allFinite(double[] v) {
        double sum = 0;
        for (double e : v) {
            sum += e * 0; // 0 for finite entries, NaN otherwise
        }
        return sum == 0;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double a, double[] xs, double[] ys) {
        for (int i = 0; i < ys.length; i++) {
            ys[i] += a * xs[i];
        }
    }

    @Override
    public String toString() {
        return "Lbfgs[memory=" + memory + ", maxIterations=" + maxIterations + ", tolerance=" + tolerance + "]";
    }
}
