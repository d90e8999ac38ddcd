package org.infodyn.probes.usable;

import java.util.Optional;

import org.infodyn.api.config.Params;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.ProbeSeries;

/**
 * A {@code usable-information} probe with fixed settings. Thread-safe: the settings are immutable
 * and the {@link LayerDesigns} its series share is thread-safe.
 */
final class ConfiguredUsableInformation implements ConfiguredProbe {
    private final Params params;
    private final UsableInformationSettings settings;
    private final LayerDesigns layerDesigns;

    ConfiguredUsableInformation(Params params, UsableInformationSettings settings) {
        this.params = params;
        this.settings = settings;
        this.layerDesigns = new LayerDesigns(settings.standardize());
    }

    @Override
    public Params params() {
        return params;
    }

    /** {@code fitSamples} for split {@code train-subset}; 0 for the splits that only use the probe split. */
    @Override
    public int fitSamples() {
        return settings.split() == SplitMode.TRAIN_SUBSET ? settings.fitSamples() : 0;
    }

    @Override
    public ProbeSeries open(String layer, String variableName, int classes, long seed) {
        if (classes < 2) {
            throw new IllegalArgumentException("usable-information needs a variable with at least 2 classes; "
                    + variableName + " has " + classes);
        }
        return new UsableInformationSeries(settings, layerDesigns, layer, variableName, classes, seed);
    }

    /** {@code linearAlgebra} when it is {@code backend}: the linear decoder's Gram is then computed on the training device. */
    @Override
    public Optional<String> deviceAlgebraSetting() {
        return settings.gramOnBackend() ? Optional.of(UsableInformationSettings.LINEAR_ALGEBRA) : Optional.empty();
    }

    /** Drops the shared standardised designs (and their row spaces and factors). */
    @Override
    public void release() {
        layerDesigns.clear();
    }

    /** The parsed settings. */
    UsableInformationSettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return UsableInformationProbe.ID + params.asMap();
    }
}
