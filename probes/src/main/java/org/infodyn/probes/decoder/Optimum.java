package org.infodyn.probes.decoder;

/**
 * How a minimisation ended; the solution itself is left in the caller's array.
 *
 * @param value the objective at the solution
 * @param iterations iterations done (L-BFGS or Newton)
 * @param evaluations objective evaluations done (line searches included)
 * @param termination why it stopped
 */
public record Optimum(double value, int iterations, int evaluations, Termination termination) {

    /** Why an optimiser stopped. */
    public enum Termination {
        /** The gradient criterion holds: max |∇f| ≤ tolerance·max(1, |f|). */
        GRADIENT,
        /** An iteration no longer decreased f measurably (relative change below 1e-12). */
        OBJECTIVE_CHANGE,
        /** The iteration budget is spent. */
        MAX_ITERATIONS,
        /** No step along the search direction decreased f (usually: at the limit of precision). */
        LINE_SEARCH,
        /** f or the gradient was not finite at the starting point. */
        NOT_FINITE,
        /** Nothing to optimise (e.g. a single class). */
        TRIVIAL
    }

    /** True unless the optimiser met non-finite values. */
    public boolean isFinite() {
        return Double.isFinite(value);
    }

    /** Whether the gradient criterion is met at {@code grad} (the criterion every optimiser here shares). */
    static boolean gradientConverged(double value, double[] grad, double tolerance) {
        double limit = tolerance * Math.max(1, Math.abs(value));
        for (double g : grad) {
            if (!(Math.abs(g) <= limit)) {
                return false;
            }
        }
        return true;
    }

    /** Whether f changed by less than {@code 1e-12} relative over an iteration. */
    static boolean stalled(double before, double after) {
        return Math.abs(before - after) <= 1e-12 * Math.max(Math.max(Math.abs(before), Math.abs(after)), Double.MIN_NORMAL);
    }
}
