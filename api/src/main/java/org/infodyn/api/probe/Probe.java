package org.infodyn.api.probe;

import java.util.List;
import java.util.Optional;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;

/**
 * A measuring instrument for frozen representations: the third of infodyn's SPIs (e.g.
 * {@code usable-information}). Probes are pure Java, so the instrument is the same whichever
 * backend trained the network. Register implementations both with
 * {@code provides org.infodyn.api.probe.Probe with …} and in
 * {@code META-INF/services/org.infodyn.api.probe.Probe}.
 *
 * <p>Lifecycle: the provider is cheap and stateless; {@link #configure} validates one
 * {@code probes[i]} block and returns a {@link ConfiguredProbe}; that opens one
 * {@link ProbeSeries} per (layer, variable) pair, which is called at every probe point in step
 * order and may carry state between points (e.g. to warm-start a decoder).
 */
public interface Probe {

    /** Stable id used in experiment files and in the {@code probe} column, e.g. {@code usable-information}. */
    String id();

    /** One line for {@code infodyn probes}. */
    String description();

    /** The parameters of a {@code probes[i]} block, besides {@code id}, {@code label}, {@code layers} and {@code variables}. */
    List<ParamSpec> parameters();

    /**
     * The metrics it writes, one line each in the form {@code name: description with its unit}
     * (e.g. {@code bits: usable information, bits}), for listings and the run summary.
     */
    List<String> metrics();

    /** The names of {@link #metrics()}: each line up to its colon. */
    default List<String> metricNames() {
        return metrics().stream().map(m -> m.contains(":") ? m.substring(0, m.indexOf(':')).trim() : m.trim()).toList();
    }

    /**
     * The metrics the end-of-run summary shows, one line per layer and variable each (start, peak
     * and end). Default: {@code bits} when the probe writes it, else its first metric. Return more,
     * or others, to put your headline numbers in front of your users.
     */
    default List<String> headlineMetrics() {
        List<String> names = metricNames();
        return names.contains("bits") ? List.of("bits") : names.isEmpty() ? List.of() : List.of(names.get(0));
    }

    /**
     * The metric, if any, that says whether a measurement's estimator converged: 1 when it did, 0
     * when it stopped at its budget (so the value is less certain than the others); any other
     * value (NaN: the question does not apply) is not counted. infodyn counts the zeros of each
     * run, records them in its manifest ({@code not_converged}), says so on the console, and the
     * report flags the runs. Default: none.
     */
    default Optional<String> convergenceMetric() {
        return Optional.empty();
    }

    /**
     * Whether the probe measures a variable. True (the default): one series per (layer, variable).
     * False: one series per layer, with no variable: the probe block may not list
     * {@code variables}, the {@code variable} column of its rows is empty, and its series see
     * {@link ProbeData#classes()} 1 with every label 0.
     */
    default boolean measuresVariables() {
        return true;
    }

    /**
     * Whether the probe reads the activations of its layers. True (the default): its layers are
     * any layers of the model, their activations are captured at every point. False: it measures
     * the network's parameters through its {@linkplain ConfiguredProbe#inspection() inspection},
     * its layers are the layers that have parameters (by default all of them), and its series
     * see features with no columns.
     */
    default boolean readsActivations() {
        return true;
    }

    /**
     * Validates settings and prepares the instrument.
     *
     * @throws org.infodyn.api.config.ConfigException for settings that cannot work together
     */
    ConfiguredProbe configure(Params params);
}
