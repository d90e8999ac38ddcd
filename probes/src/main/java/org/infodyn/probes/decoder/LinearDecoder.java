package org.infodyn.probes.decoder;

import java.util.Arrays;

/**
 * The {@code linear} decoder family: multinomial logistic regression on standardised features,
 * {@code p(y|x) = softmax(W x + b)}, fitted to convergence on
 * {@code mean CE (nats) + (l2/2)·‖W‖²} (bias not penalised).
 *
 * <p>Only the classes present in the fit samples are modelled (see {@link LabelCounts} for the
 * others). With two present classes the equivalent {@link BinaryLogisticObjective} (half the
 * parameters) is minimised by {@link LogisticNewton} when it has at most
 * {@value #NEWTON_MAX_PARAMETERS} parameters, by {@link Lbfgs} otherwise; with three or more
 * classes {@link MultinomialObjective} is minimised by {@link Lbfgs}. L-BFGS is preconditioned
 * with {@link GramPreconditioner} (Böhning's bound), without which the correlated features of
 * hidden layers cost it hundreds of iterations.
 *
 * <p>Warm start: each fit starts from the previous solution, mapped to the current classes. The
 * objective is strictly convex in W (and in the identifiable part of b), so the optimum does not
 * depend on the start; a good start only saves iterations. A failed (non-finite) fit is not
 * used as a start.
 */
public final class LinearDecoder implements Decoder {

    /**
     * The estimator's settings (part of the decoder family V, recorded in the run manifest).
     *
     * @param l2 penalty weight on W, ≥ 0
     * @param maxIterations iteration budget per fit (L-BFGS or Newton iterations), ≥ 1
     * @param tolerance gradient tolerance relative to max(1, |objective|), ≥ 0
     * @param warmStart start each fit from the previous solution
     */
    public record Settings(double l2, int maxIterations, double tolerance, boolean warmStart) {
        public Settings {
            if (!(l2 >= 0) || maxIterations < 1 || !(tolerance >= 0)) {
                throw new IllegalArgumentException("l2 " + l2 + ", maxIterations " + maxIterations + ", tolerance " + tolerance);
            }
        }
    }

    /**
     * Largest binary problem (d + 1 parameters) solved by Newton's method; larger ones go to
     * preconditioned L-BFGS, because one Hessian costs ≈ n·d²/2 multiply-adds, d/2 gradients.
     * Measured at d = 100 (n = 2000, warm start) when Newton built a Hessian at every iteration:
     * Newton 3.7 ms per fit (3 iterations), preconditioned L-BFGS 5.9 ms (32 iterations). Newton
     * now builds one only now and then ({@link NewtonStep}), which roughly halved its time in
     * {@code DecoderTiming}, so this cut-off (an estimate in the first place) is conservative.
     */
    public static final int NEWTON_MAX_PARAMETERS = 400;

    /** L-BFGS memory: 10 pairs is the usual sweet spot for problems of this size. */
    private static final int MEMORY = 10;

    private final int classes;
    private final int dimension;
    private final Settings settings;
    private final Lbfgs lbfgs;
    private final LogisticNewton newton;
    private final double[] weights; // classes × dimension, row-major
    private final double[] bias; // classes
    private boolean hasSolution;
    private LabelCounts fitted;
    private Optimum lastOptimum = new Optimum(Double.NaN, 0, 0, Optimum.Termination.NOT_FINITE);

    /**
     * @param classes K, ≥ 2
     * @param dimension d, the number of features, ≥ 1
     * @param settings the estimator's settings
     */
    public LinearDecoder(int classes, int dimension, Settings settings) {
        if (classes < 2 || dimension < 1) {
            throw new IllegalArgumentException("classes " + classes + ", dimension " + dimension);
        }
        this.classes = classes;
        this.dimension = dimension;
        this.settings = settings;
        this.lbfgs = new Lbfgs(MEMORY, settings.maxIterations(), settings.tolerance());
        this.newton = new LogisticNewton(settings.maxIterations(), settings.tolerance());
        this.weights = new double[classes * dimension];
        this.bias = new double[classes];
    }

    @Override
    public void fit(DesignMatrix x, int[] labels, LabelCounts counts) {
        checkShape(x, labels);
        if (counts.classes() != classes || counts.total() != labels.length) {
            throw new IllegalArgumentException("counts do not describe these labels");
        }
        if (!settings.warmStart() || !hasSolution) {
            Arrays.fill(weights, 0);
            Arrays.fill(bias, 0);
        }
        int[] present = counts.presentClasses();
        if (present.length == 1) {
            // One class: p = 1 for it whatever the parameters; nothing to fit.
            lastOptimum = new Optimum(0, 0, 0, Optimum.Termination.TRIVIAL);
        } else if (present.length == 2) {
            fitBinary(x, labels, present[0], present[1]);
        } else {
            fitMultinomial(x, labels, present, counts.presentIndex());
        }
        hasSolution = lastOptimum.isFinite();
        fitted = counts;
    }

    private void fitBinary(DesignMatrix x, int[] labels, int a, int b) {
        int d = dimension;
        double[] theta = new double[d + 1];
        for (int j = 0; j < d; j++) {
            theta[j] = weights[b * d + j] - weights[a * d + j];
        }
        theta[d] = bias[b] - bias[a];
        boolean[] positive = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            positive[i] = labels[i] == b;
        }
        BinaryLogisticObjective objective = new BinaryLogisticObjective(x, positive, settings.l2());
        lastOptimum = d + 1 <= NEWTON_MAX_PARAMETERS
                ? newton.minimize(objective, theta)
                : lbfgs.minimize(objective, theta, new GramPreconditioner(x, 1, 0.25, 0.5 * settings.l2()));
        for (int j = 0; j < d; j++) {
            weights[b * d + j] = 0.5 * theta[j];
            weights[a * d + j] = -0.5 * theta[j];
        }
        bias[b] = 0.5 * theta[d];
        bias[a] = -0.5 * theta[d];
    }

    private void fitMultinomial(DesignMatrix x, int[] labels, int[] present, int[] index) {
        int d = dimension;
        int k = present.length;
        double[] theta = new double[k * (d + 1)];
        for (int c = 0; c < k; c++) {
            System.arraycopy(weights, present[c] * d, theta, c * d, d);
            theta[k * d + c] = bias[present[c]];
        }
        int[] targets = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            targets[i] = index[labels[i]];
        }
        lastOptimum = lbfgs.minimize(new MultinomialObjective(x, targets, k, settings.l2()), theta,
                new GramPreconditioner(x, k, 0.5, settings.l2()));
        for (int c = 0; c < k; c++) {
            System.arraycopy(theta, c * d, weights, present[c] * d, d);
            bias[present[c]] = theta[k * d + c];
        }
    }

    @Override
    public Evaluation evaluate(DesignMatrix x, int[] labels) {
        if (fitted == null) {
            throw new IllegalStateException("evaluate before fit");
        }
        checkShape(x, labels);
        int[] present = fitted.presentClasses();
        int k = present.length;
        int n = labels.length;
        int d = dimension;
        double[][] logits = new double[k][n];
        for (int c = 0; c < k; c++) {
            int cls = present[c];
            x.times(Arrays.copyOfRange(weights, cls * d, (cls + 1) * d), bias[cls], logits[c]);
        }
        double[] z = new double[k];
        CrossEntropy.Accumulator score = new CrossEntropy.Accumulator(fitted);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                z[c] = logits[c][i];
            }
            score.add(z, labels[i]);
        }
        return score.result();
    }

    /** How the optimiser finished the last fit, for diagnostics and benchmarks. */
    public Optimum lastOptimum() {
        return lastOptimum;
    }

    private void checkShape(DesignMatrix x, int[] labels) {
        if (x.cols() != dimension || x.rows() != labels.length) {
            throw new IllegalArgumentException("expected " + labels.length + " × " + dimension + " features, got " + x);
        }
    }
}
