package org.infodyn.probes.decoder;

import java.util.Arrays;

import org.infodyn.api.backend.DeviceAlgebra;

/**
 * The {@code linear} decoder family: multinomial logistic regression on standardised features,
 * {@code p(y|x) = softmax(W x + b)}, fitted to convergence on
 * {@code mean CE (nats) + (l2/2)·‖W‖²} (bias not penalised).
 *
 * <p>Only the classes present in the fit samples are modelled (see {@link LabelCounts} for the
 * others). With two present classes the equivalent {@link BinaryLogisticObjective} (half the
 * parameters) is minimised by {@link LogisticNewton} when it has at most
 * {@value #NEWTON_MAX_PARAMETERS} parameters or is fitted in the row space, by {@link Lbfgs}
 * otherwise; with three or more classes {@link MultinomialObjective} is minimised by
 * {@link Lbfgs}. L-BFGS is preconditioned with {@link GramPreconditioner} (Böhning's bound),
 * without which the correlated features of hidden layers cost it hundreds of iterations. With
 * more features than fit samples (a convolutional layer) the fit runs in the samples'
 * {@link RowSpace}: the same optimum, at a cost that grows with the samples rather than the
 * features. There the data are separable, which needs its own solvers: Newton for two classes,
 * L-BFGS in rounds preconditioned by the current curvature for more ({@link #minimizeInRounds}).
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

    /**
     * First round of a multinomial fit in the row space ({@link #minimizeInRounds}); each later
     * round is twice as long. Measured on cnn-small's blocks (2,000 samples, 10 classes): rounds
     * of 30, 60, 120 … converged in ~185 iterations (3 preconditioners); fixed rounds of 15 took
     * 255 iterations and 17 preconditioners, of 50 ~200 and 5.
     */
    static final int FIRST_ROUND = 30;

    /** L-BFGS memory: 10 pairs is the usual sweet spot for problems of this size. */
    private static final int MEMORY = 10;

    private final int classes;
    private final int dimension;
    private final Settings settings;
    private final Lbfgs lbfgs;
    private final LogisticNewton newton;
    private final double[] weights; // classes × dimension, row-major
    private final double[] bias; // classes
    private final boolean rowSpaceAllowed;
    private final DeviceAlgebra gramDevice; // null: the row space's Gram by infodyn's kernels
    private boolean hasSolution;
    private LabelCounts fitted;
    private Optimum lastOptimum = new Optimum(Double.NaN, 0, 0, Optimum.Termination.NOT_FINITE);

    /**
     * @param classes K, ≥ 2
     * @param dimension d, the number of features, ≥ 1
     * @param settings the estimator's settings
     */
    public LinearDecoder(int classes, int dimension, Settings settings) {
        this(classes, dimension, settings, true, null);
    }

    /**
     * A decoder whose fits in the row space (more features than fit samples) compute the samples'
     * Gram matrix on a backend's device: the only work of a fit that grows with the width. The
     * Gram differs from infodyn's own in the last bits; the bits measured agree within
     * 2e-5 · max(1, held-out CE) (DESIGN §5).
     *
     * @param gramDevice where the Gram is computed
     */
    public LinearDecoder(int classes, int dimension, Settings settings, DeviceAlgebra gramDevice) {
        this(classes, dimension, settings, true, java.util.Objects.requireNonNull(gramDevice, "gramDevice"));
    }

    /** @param rowSpaceAllowed false: always fit on the features (to compare with the row-space fit) */
    LinearDecoder(int classes, int dimension, Settings settings, boolean rowSpaceAllowed) {
        this(classes, dimension, settings, rowSpaceAllowed, null);
    }

    private LinearDecoder(int classes, int dimension, Settings settings, boolean rowSpaceAllowed, DeviceAlgebra gramDevice) {
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
        this.rowSpaceAllowed = rowSpaceAllowed;
        this.gramDevice = gramDevice;
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
        RowSpace space = rowSpace(x);
        DesignMatrix design = space == null ? x : space.basis();
        int m = design.cols();
        double[] params = space == null ? theta : new double[m + 1];
        if (space != null) {
            space.coordinates(theta, 0, params, 0);
            params[m] = theta[d];
        }
        boolean[] positive = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            positive[i] = labels[space == null ? i : space.sample(i)] == b;
        }
        BinaryLogisticObjective objective = new BinaryLogisticObjective(design, positive, settings.l2());
        // In the row space the data are separable (more features than samples), so L-BFGS crawls
        // (measured: 500 iterations without converging on cnn-small's blocks) while Newton takes
        // ~15 iterations; its Hessian is (r+1)² like the row space's own preconditioner.
        lastOptimum = m + 1 <= NEWTON_MAX_PARAMETERS || space != null
                ? newton.minimize(objective, params)
                : lbfgs.minimize(objective, params, new GramPreconditioner(design, 1, 0.25, 0.5 * settings.l2()));
        if (space != null) {
            space.weights(params, 0, theta, 0);
            theta[d] = params[m];
        }
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
        RowSpace space = rowSpace(x);
        DesignMatrix design = space == null ? x : space.basis();
        int m = design.cols();
        double[] theta = new double[k * (m + 1)];
        for (int c = 0; c < k; c++) {
            if (space == null) {
                System.arraycopy(weights, present[c] * d, theta, c * d, d);
            } else {
                space.coordinates(weights, present[c] * d, theta, c * m);
            }
            theta[k * m + c] = bias[present[c]];
        }
        int[] targets = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            targets[i] = index[labels[space == null ? i : space.sample(i)]];
        }
        MultinomialObjective objective = new MultinomialObjective(design, targets, k, settings.l2());
        lastOptimum = space == null
                ? lbfgs.minimize(objective, theta, new GramPreconditioner(design, k, 0.5, settings.l2()))
                : minimizeInRounds(objective, design, theta, k);
        for (int c = 0; c < k; c++) {
            if (space == null) {
                System.arraycopy(theta, c * d, weights, present[c] * d, d);
            } else {
                space.weights(theta, c * m, weights, present[c] * d);
            }
            bias[present[c]] = theta[k * m + c];
        }
    }

    /**
     * L-BFGS in rounds, each preconditioned by the curvature at its start
     * ({@link GramPreconditioner#atCurvature}) and twice as long as the one before, until it
     * converges or the budget is spent. Why: in the row space the data are separable, and as
     * the fit proceeds the samples' curvature falls by orders of magnitude, unevenly; a
     * preconditioner fixed at the start (Böhning's bound) soon overstates it a hundredfold.
     * Measured on cnn-small's blocks (2,000 samples, 10 classes, tolerance 1e-9): ~185
     * iterations in 3 rounds, converged, where one Böhning-preconditioned run stopped at its
     * 500-iteration budget. Each round restarts L-BFGS's memory (its pairs were scaled for the
     * old preconditioner).
     */
    private Optimum minimizeInRounds(MultinomialObjective objective, DesignMatrix design, double[] theta, int k) {
        double[] curvature = new double[design.rows()];
        int budget = settings.maxIterations();
        int used = 0;
        int evaluations = 0;
        int round = FIRST_ROUND;
        while (true) {
            objective.curvatures(theta, curvature);
            GramPreconditioner m = GramPreconditioner.atCurvature(design, curvature, k, settings.l2());
            Optimum o = lbfgs.minimize(objective, theta, m, Math.min(round, budget - used));
            used += o.iterations();
            evaluations += o.evaluations();
            if (o.termination() != Optimum.Termination.MAX_ITERATIONS || used >= budget) {
                return new Optimum(o.value(), used, evaluations, o.termination());
            }
            round = (int) Math.min(2L * round, Integer.MAX_VALUE);
        }
    }

    /**
     * The row space to fit in, when the samples are fewer than the features (and finite): then
     * the fit costs what the samples cost, not the features, with the same optimum.
     */
    private RowSpace rowSpace(DesignMatrix x) {
        return rowSpaceAllowed && x.cols() > x.rows() && x.isFinite() ? RowSpace.of(x, gramDevice) : null;
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

    @Override
    public double lastConverged() {
        return switch (lastOptimum.termination()) {
            case MAX_ITERATIONS -> 0;
            case NOT_FINITE -> Double.NaN;
            default -> 1; // the gradient criterion, no further progress, or nothing to fit
        };
    }

    @Override
    public int lastIterations() {
        return lastOptimum.iterations();
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
