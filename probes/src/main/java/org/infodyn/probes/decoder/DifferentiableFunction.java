package org.infodyn.probes.decoder;

/**
 * A smooth objective {@code f: R^n → R} with its gradient, as minimised by {@link Lbfgs}.
 * Implementations may keep scratch buffers, so one instance must not be evaluated concurrently.
 */
public interface DifferentiableFunction {

    /** The number of variables n. */
    int dimension();

    /**
     * Evaluates the objective and its gradient at {@code x}.
     *
     * @param x the point, length {@link #dimension()}; read-only
     * @param gradient receives ∇f(x), length {@link #dimension()}; owned by the caller, every entry
     *     is overwritten
     * @return f(x); may be non-finite (the optimiser then backs off or stops)
     */
    double valueAndGradient(double[] x, double[] gradient);
}
