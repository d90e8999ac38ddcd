package org.infodyn.probes.decoder;

import java.util.Arrays;

/**
 * Solves the Newton systems {@code H s = −g} of {@link LogisticNewton}, one
 * {@link BinaryLogisticObjective} after another, building Hessians as rarely and as cheaply as
 * possible.
 *
 * <p>Why: building H costs ≈ n·m²/2 multiply-adds (10 M at n = 2000 samples, m = 101
 * parameters) but a Hessian-vector product only ≈ 2·n·m (0.4 M). So the Cholesky factor of the
 * last Hessian built is kept, across iterations and across fits, and preconditions a conjugate
 * gradient solve with exact Hessian-vector products (a truncated Newton step). Within a fit, and
 * from one probe point to the next, the Hessian changes little, so a few products usually
 * suffice. A new factor is made only when CG does not converge within
 * {@value #MAX_CG_ITERATIONS} iterations, or when the previous solve needed more than
 * {@value #STALE_AFTER} (the factor has drifted too far to be worth keeping). It is the factor of
 * the Hessian without the samples of negligible curvature (below {@value #NEGLIGIBLE_CURVATURE}
 * of the largest; often most samples of a trained layer, see
 * {@link BinaryLogisticObjective#hessian}), and CG solves with it; only if that fails is the
 * exact Hessian built and solved with directly. Problems too small for CG to pay (fewer than
 * {@value #MIN_CG_PARAMETERS} parameters) always get the exact Hessian. The factor only
 * preconditions: every step solves the current system to the accuracy asked for.
 *
 * <p>The factor is a {@link SpdFactor} (blocked, vectorised): at the ~2,000 parameters of a
 * row-space fit it takes ~0.15 s where a row-by-row Cholesky took ~0.8 s.
 *
 * <p>Accuracy: CG stops at the residual {@code ‖H s + g‖ ≤ η‖g‖} with the forcing term
 * {@code η = min(0.1, √‖g‖)} (Euclidean norms), which keeps Newton's method superlinearly
 * convergent (Dembo, Eisenstat &amp; Steihaug 1982) while asking little of the early steps.
 *
 * <p>Keeps its work arrays and the factor between calls; not thread-safe.
 */
final class NewtonStep {
    /** Conjugate-gradient iterations tried with a factor before a new one is made. */
    static final int MAX_CG_ITERATIONS = 8;

    /** A factor whose last solve needed more CG iterations than this is replaced at the next solve. */
    static final int STALE_AFTER = 4;

    /**
     * Below this many parameters an exact Hessian costs no more than {@value #MAX_CG_ITERATIONS}
     * products (m/4 of them), so it is always built.
     */
    static final int MIN_CG_PARAMETERS = 4 * MAX_CG_ITERATIONS;

    /** Samples whose curvature is below this fraction of the largest are left out of a new factor. */
    static final double NEGLIGIBLE_CURVATURE = 1e-3;

    private final int m;
    private final double[][] hessian;
    private final double[] biasColumn;
    private SpdFactor factor; // null: none yet, or the last Hessian was not finite
    private int lastCgIterations;
    private int hessiansBuilt;
    private final double[] residual;
    private final double[] preconditioned;
    private final double[] direction;
    private final double[] hessianDirection;

    /** @param m the number of parameters, d + 1 */
    NewtonStep(int m) {
        this.m = m;
        hessian = new double[m][m];
        biasColumn = new double[m];
        residual = new double[m];
        preconditioned = new double[m];
        direction = new double[m];
        hessianDirection = new double[m];
    }

    /**
     * Solves {@code H s = −g} for the Hessian H at the last gradient point of {@code f}: to the
     * forcing accuracy by CG, or to working precision with a new exact Hessian.
     *
     * @param g the gradient there; not changed
     * @param step receives s, a descent direction
     * @return false when the Hessian is not finite (no step)
     */
    boolean solve(BinaryLogisticObjective f, double[] g, double[] step) {
        boolean useCg = m >= MIN_CG_PARAMETERS;
        if (useCg && factor != null && lastCgIterations <= STALE_AFTER && preconditionedCg(f, g, step)) {
            return true;
        }
        boolean approximate = newFactor(f, useCg ? NEGLIGIBLE_CURVATURE : 0);
        if (approximate && factor != null && preconditionedCg(f, g, step)) {
            return true;
        }
        if (approximate) {
            newFactor(f, 0);
        }
        if (factor == null) {
            return false;
        }
        for (int j = 0; j < m; j++) {
            step[j] = -g[j];
        }
        factor.solveInPlace(step);
        return true;
    }

    /** Builds and factors the Hessian (see {@link BinaryLogisticObjective#hessian}); true if approximate. */
    private boolean newFactor(BinaryLogisticObjective f, double relativeCutoff) {
        boolean approximate = f.hessian(hessian, biasColumn, relativeCutoff);
        hessiansBuilt++;
        factor = SpdFactor.of(hessian, m);
        lastCgIterations = 0;
        return approximate;
    }

    /** How many Hessians (exact or approximate) {@link #solve} has built so far, for tests and diagnostics. */
    int hessiansBuilt() {
        return hessiansBuilt;
    }

    /**
     * Preconditioned CG with the kept factor, from s = 0 so that every iterate is a descent
     * direction; false if it did not converge.
     */
    private boolean preconditionedCg(BinaryLogisticObjective f, double[] g, double[] s) {
        double[] r = residual;
        double[] z = preconditioned;
        double[] p = direction;
        double[] q = hessianDirection;
        double gNorm = Math.sqrt(Kernels.dot(g, g, m));
        double target = Math.min(0.1, Math.sqrt(gNorm)) * gNorm;
        Arrays.fill(s, 0);
        for (int j = 0; j < m; j++) {
            r[j] = -g[j];
        }
        System.arraycopy(r, 0, z, 0, m);
        factor.solveInPlace(z);
        System.arraycopy(z, 0, p, 0, m);
        double rz = Kernels.dot(r, z, m);
        for (int it = 1; it <= MAX_CG_ITERATIONS; it++) {
            f.hessianTimes(p, q);
            double pq = Kernels.dot(p, q, m);
            if (!(pq > 0 && rz > 0)) {
                return false; // no curvature along p (round-off, or not finite): take the exact route
            }
            double alpha = rz / pq;
            Kernels.axpy(alpha, p, s, m);
            Kernels.axpy(-alpha, q, r, m);
            if (Math.sqrt(Kernels.dot(r, r, m)) <= target) {
                lastCgIterations = it;
                return true;
            }
            System.arraycopy(r, 0, z, 0, m);
            factor.solveInPlace(z);
            double rzNext = Kernels.dot(r, z, m);
            double beta = rzNext / rz;
            rz = rzNext;
            for (int j = 0; j < m; j++) {
                p[j] = z[j] + beta * p[j];
            }
        }
        return false;
    }
}
