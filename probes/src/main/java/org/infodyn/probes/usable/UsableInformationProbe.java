package org.infodyn.probes.usable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.Probe;

/**
 * {@code usable-information}: the usable information {@code I_V(Z;Y) = CE_null − CE_V} (bits)
 * of a layer's representation Z about a discrete variable Y for a decoder family V (DESIGN §5).
 * {@code CE_null} is the cross-entropy on the scoring samples of the add-one-smoothed label
 * frequencies of the fit samples; {@code CE_V} that of the decoder fitted on the fit samples.
 * Not clipped: a negative value is real evidence that the decoder over-fits.
 *
 * <p>The provider is stateless and cheap, as the {@link Probe} contract requires.
 */
public final class UsableInformationProbe implements Probe {
    /** The probe id in experiment files. */
    public static final String ID = "usable-information";

    /** Metric: usable information CE_null − CE_decoder, bits. */
    public static final String BITS = "bits";
    /** Metric: CE_null, bits. */
    public static final String NULL_CE_BITS = "null_ce_bits";
    /** Metric: the decoder's CE on the scoring samples, bits. */
    public static final String DECODER_EVAL_CE_BITS = "decoder_eval_ce_bits";
    /** Metric: the decoder's CE on its own fit samples (no penalty), bits. */
    public static final String DECODER_FIT_CE_BITS = "decoder_fit_ce_bits";
    /** Metric: the decoder's arg-max accuracy on the scoring samples. */
    public static final String DECODER_ACCURACY = "decoder_accuracy";
    /** Metric: log2 K, the most any variable with K classes can carry, bits. */
    public static final String LOG2K = "log2k";
    /** Metric: 1 when every decoder fit of the point converged, 0 when one stopped at its budget. */
    public static final String DECODER_CONVERGED = "decoder_converged";
    /** Metric: iterations of the point's decoder fit (the most over folds). */
    public static final String DECODER_ITERATIONS = "decoder_iterations";

    /** The metric names, in the order {@link org.infodyn.api.probe.ProbeSeries#measure} returns them. */
    public static final List<String> METRIC_NAMES = List.of(BITS, NULL_CE_BITS, DECODER_EVAL_CE_BITS, DECODER_FIT_CE_BITS,
            DECODER_ACCURACY, LOG2K, DECODER_CONVERGED, DECODER_ITERATIONS);

    /** Public no-argument constructor, for {@link java.util.ServiceLoader}. */
    public UsableInformationProbe() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "usable information CE_null − CE_decoder (bits) of a layer about a variable, linear or MLP decoder";
    }

    @Override
    public List<ParamSpec> parameters() {
        return UsableInformationSettings.PARAMETERS;
    }

    @Override
    public List<String> metrics() {
        return List.of(
                BITS + ": usable information CE_null − CE_decoder on the scoring samples, bits (not clipped)",
                NULL_CE_BITS + ": cross-entropy of the add-one-smoothed fit-sample label frequencies on the scoring samples, bits",
                DECODER_EVAL_CE_BITS + ": the decoder's cross-entropy on the scoring samples, bits",
                DECODER_FIT_CE_BITS + ": the decoder's cross-entropy on its own fit samples (without penalty), bits",
                DECODER_ACCURACY + ": the decoder's arg-max accuracy on the scoring samples, fraction in [0, 1]",
                LOG2K + ": log2 of the variable's class count K, bits",
                DECODER_CONVERGED + ": 1 when every decoder fit of the point met its convergence criterion, 0 when one stopped at"
                        + " maxIterations (the value is then less certain); empty for the mlp decoder (a fixed budget by design)",
                DECODER_ITERATIONS + ": iterations of the point's decoder fit (L-BFGS or Newton; Adam steps for mlp), the most over folds");
    }

    @Override
    public Optional<String> convergenceMetric() {
        return Optional.of(DECODER_CONVERGED);
    }

    /**
     * Validates the settings. The returned probe's {@link ConfiguredProbe#params()} records the
     * effective {@code warmStart} ({@code true}/{@code false}) in place of {@code auto}.
     */
    @Override
    public ConfiguredProbe configure(Params params) {
        UsableInformationSettings settings = UsableInformationSettings.from(params);
        Map<String, Object> effective = new LinkedHashMap<>(params.asMap());
        effective.put("warmStart", Boolean.toString(settings.warmStart()));
        return new ConfiguredUsableInformation(Params.bind(params.path(), effective, parameters()), settings);
    }

    @Override
    public String toString() {
        return ID;
    }
}
