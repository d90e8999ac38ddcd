package org.infodyn.api.probe;

import java.util.List;

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

    /** The metric names it writes, each with its unit, for listings (e.g. {@code bits: usable information, bits}). */
    List<String> metrics();

    /**
     * Validates settings and prepares the instrument.
     *
     * @throws org.infodyn.api.config.ConfigException for settings that cannot work together
     */
    ConfiguredProbe configure(Params params);
}
