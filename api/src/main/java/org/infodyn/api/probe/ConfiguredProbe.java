package org.infodyn.api.probe;

import org.infodyn.api.config.Params;

/** A probe with its settings fixed: opens one measurement series per (layer, variable). Thread-safe. */
public interface ConfiguredProbe {

    /** The effective settings (defaults filled in), recorded in the manifest. */
    Params params();

    /**
     * How many samples of the network's <em>train</em> split the probe wants at each point (e.g.
     * the decoder's fit samples); 0 when it only uses the held-out probe split. The runner picks
     * them once per seed (a seeded subset, the same at every point) and passes their
     * representations as {@link ProbeData#fit()}.
     */
    int fitSamples();

    /**
     * Opens a series for one (layer, variable) pair.
     *
     * @param layer the probed layer's name
     * @param variableName the variable's name
     * @param classes the variable's number of classes K
     * @param seed a seed for the series' own randomness, derived per run, probe, layer and variable
     */
    ProbeSeries open(String layer, String variableName, int classes, long seed);

    /**
     * Called when the run that configured this probe has ended: drop what its series share to
     * save work between them (caches of recent points), which can be large for wide layers. The
     * probe stays usable; it then recomputes. Default: nothing to drop.
     */
    default void release() {
    }

    /**
     * Layers whose held-out activations every series sees beside its own layer's, as
     * {@link ProbeData#companions()} (e.g. the other layer of a similarity measure). infodyn
     * checks that the model has them. Default: none.
     */
    default java.util.List<String> companionLayers() {
        return java.util.List.of();
    }

    /**
     * The name of the parameter, if any, with which this probe asked for float64 matrix work on
     * the training backend's device ({@link ProbeData#algebra()}), e.g. {@code linearAlgebra}.
     * infodyn then hands its series the backend's {@link org.infodyn.api.backend.DeviceAlgebra} at
     * every point, and refuses the run before it starts when the backend has none, naming the
     * parameter, its value ({@link #params()}) and its other allowed values. Default: none asked for.
     */
    default java.util.Optional<String> deviceAlgebraSetting() {
        return java.util.Optional.empty();
    }

    /**
     * Work with the live network at every probe point, for what activations cannot show
     * (parameters, gradients). Default: none.
     */
    default java.util.Optional<NetworkInspection> inspection() {
        return java.util.Optional.empty();
    }
}
