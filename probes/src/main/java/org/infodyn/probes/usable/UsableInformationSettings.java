package org.infodyn.probes.usable;

import java.util.List;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.probes.decoder.LinearDecoder;
import org.infodyn.probes.decoder.MlpDecoder;

/**
 * The validated settings of one {@code usable-information} probe block, with the decoder-dependent
 * default of {@code warmStart} resolved.
 *
 * @param decoder the decoder family
 * @param fitSamples train-split samples to fit on (split {@code train-subset})
 * @param split where the decoder is fitted and scored
 * @param folds folds for {@code kfold}
 * @param standardize z-score features with the fit samples' statistics
 * @param l2 linear: penalty (l2/2)‖W‖²; mlp: weight decay
 * @param maxIterations linear: L-BFGS iterations per fit
 * @param tolerance linear: relative gradient tolerance
 * @param warmStart start each fit from the previous point's decoder (resolved from {@code auto})
 * @param hidden mlp: hidden units
 * @param steps mlp: Adam steps per fit
 * @param learningRate mlp: Adam learning rate
 * @param hiddenLayers mlp: hidden layers
 * @param restarts mlp: initialisations per fit, the lowest fit-sample loss kept
 * @param earlyStopping mlp: hold out {@code validationFraction} of the fit samples and keep the best validation loss
 * @param validationFraction mlp with early stopping: held-out fraction of the fit samples
 * @param patience mlp with early stopping: steps without improvement before stopping
 * @param gramOnBackend linear: compute the Gram matrix of wide layers on the training backend's
 *     device ({@code linearAlgebra: backend}) rather than with infodyn's own kernels
 */
public record UsableInformationSettings(
        DecoderKind decoder,
        int fitSamples,
        SplitMode split,
        int folds,
        boolean standardize,
        double l2,
        int maxIterations,
        double tolerance,
        boolean warmStart,
        int hidden,
        int steps,
        double learningRate,
        int hiddenLayers,
        int restarts,
        boolean earlyStopping,
        double validationFraction,
        int patience,
        boolean gramOnBackend) {

    /** {@code warmStart} value meaning "the decoder family's default". */
    public static final String AUTO = "auto";

    /** The parameter that puts the linear decoder's Gram matrix on the training backend's device. */
    public static final String LINEAR_ALGEBRA = "linearAlgebra";

    /** {@link #LINEAR_ALGEBRA}: infodyn's own kernels, on the probe's thread (the default). */
    public static final String JAVA = "java";

    /** {@link #LINEAR_ALGEBRA}: the training backend, on its device. */
    public static final String BACKEND = "backend";

    /** The parameters of a {@code usable-information} block. */
    public static final List<ParamSpec> PARAMETERS = List.of(
            ParamSpec.choice("decoder", DecoderKind.LINEAR.id(), DecoderKind.ids(),
                    "decoder family V: linear (multinomial logistic regression, to convergence) or mlp (one hidden ReLU layer, fixed Adam budget)"),
            ParamSpec.integer("fitSamples", 2000,
                    "split train-subset: samples of the network's train split the decoder is fitted on (a seeded subset, the same at every point)")
                    .atLeast(1).atMost(100_000_000),
            ParamSpec.choice("split", SplitMode.TRAIN_SUBSET.id(), SplitMode.ids(),
                    "train-subset: fit on train samples, score on the probe split; probe-halves: fit on one seeded half of the probe split, score on the other; kfold: cross-fitting on the probe split"),
            ParamSpec.integer("folds", 5, "split kfold: number of folds").atLeast(2).atMost(1000),
            ParamSpec.bool("standardize", true,
                    "z-score each feature with the fit samples' mean and sd (features with sd < 1e-8 are set to 0)"),
            ParamSpec.decimal("l2", 1e-4,
                    "linear: objective mean CE (nats) + l2/2·‖W‖² (bias not penalised); mlp: Adam weight decay (L2 added to the gradient)")
                    .atLeast(0).atMost(1e6),
            ParamSpec.integer("maxIterations", 500, "linear: L-BFGS iteration budget per fit").atLeast(1).atMost(1_000_000),
            ParamSpec.decimal("tolerance", 1e-9,
                    "linear: converged when max |gradient| ≤ tolerance·max(1, |objective|)").atLeast(0).atMost(1),
            ParamSpec.choice(LINEAR_ALGEBRA, JAVA, List.of(JAVA, BACKEND),
                    "linear, layers with more features than fit samples: where the fit samples' Gram matrix (the only part of a fit whose cost grows with the layer's width) is computed; java: infodyn's kernels on the probe thread, the same sums on every machine; backend: in float64 on the training backend's device (its GPU, where the run trains on one), the bits within 2e-5 × max(1, held-out CE in bits) of java's (docs/DESIGN.md §5)"),
            ParamSpec.choice("warmStart", AUTO, List.of(AUTO, "true", "false"),
                    "start each fit from the previous point's decoder; auto: true for linear (convex, so only faster), false for mlp (non-convex with a fixed budget, so it would change the estimator)"),
            ParamSpec.integer("hidden", 64, "mlp: hidden ReLU units").atLeast(1).atMost(65_536),
            ParamSpec.integer("steps", 300, "mlp: full-batch Adam steps per fit").atLeast(1).atMost(10_000_000),
            ParamSpec.decimal("learningRate", 0.01, "mlp: Adam learning rate (β1 0.9, β2 0.999, eps 1e-8)")
                    .greaterThan(0).atMost(1e3),
            ParamSpec.integer("hiddenLayers", 1, "mlp: hidden layers of `hidden` ReLU units each").atLeast(1).atMost(8),
            ParamSpec.integer("restarts", 1,
                    "mlp: initialisations per fit (the first from the series seed), each with the full budget; the one with the lowest cross-entropy on the samples it was trained on is kept")
                    .atLeast(1).atMost(1000),
            ParamSpec.bool("earlyStopping", false,
                    "mlp: hold out validationFraction of the fit samples, keep the network with the lowest validation cross-entropy, stop after `patience` steps without improvement (`steps` is then the most)"),
            ParamSpec.decimal("validationFraction", 0.1, "mlp with earlyStopping: seeded fraction of the fit samples held out for validation")
                    .greaterThan(0).atMost(0.5),
            ParamSpec.integer("patience", 100, "mlp with earlyStopping: Adam steps without a lower validation loss before stopping")
                    .atLeast(1).atMost(10_000_000));

    /**
     * Reads bound parameters (declared as {@link #PARAMETERS}) and checks what the per-field
     * bounds cannot.
     *
     * @throws org.infodyn.api.config.ConfigException naming the field
     */
    public static UsableInformationSettings from(Params p) {
        DecoderKind decoder = DecoderKind.of(p.getString("decoder"));
        boolean gramOnBackend = p.getString(LINEAR_ALGEBRA).equals(BACKEND);
        if (gramOnBackend && decoder != DecoderKind.LINEAR) {
            throw new ConfigException(p.path() + "." + LINEAR_ALGEBRA, "'" + BACKEND + "' applies to the linear decoder, and decoder is "
                    + decoder.id() + "; allowed with it: " + JAVA + " (the default)");
        }
        double learningRate = p.getDouble("learningRate");
        String warm = p.getString("warmStart");
        boolean warmStart = warm.equals(AUTO) ? decoder == DecoderKind.LINEAR : Boolean.parseBoolean(warm);
        return new UsableInformationSettings(decoder, p.getInt("fitSamples"), SplitMode.of(p.getString("split")),
                p.getInt("folds"), p.getBoolean("standardize"), p.getDouble("l2"), p.getInt("maxIterations"),
                p.getDouble("tolerance"), warmStart, p.getInt("hidden"), p.getInt("steps"), learningRate,
                p.getInt("hiddenLayers"), p.getInt("restarts"), p.getBoolean("earlyStopping"), p.getDouble("validationFraction"),
                p.getInt("patience"), gramOnBackend);
    }

    /** The linear decoder's settings. */
    public LinearDecoder.Settings linear() {
        return new LinearDecoder.Settings(l2, maxIterations, tolerance, warmStart);
    }

    /** The MLP decoder's settings, its initialisation seeded with {@code seed}. */
    public MlpDecoder.Settings mlp(long seed) {
        return new MlpDecoder.Settings(hidden, hiddenLayers, steps, learningRate, l2, warmStart, seed, restarts,
                earlyStopping ? validationFraction : 0, patience);
    }
}
