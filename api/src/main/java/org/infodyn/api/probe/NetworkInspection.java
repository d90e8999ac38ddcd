package org.infodyn.api.probe;

/**
 * Work a probe does with the live network at each probe point (its parameters, gradients,
 * outputs on chosen inputs), where activations are not enough: e.g. weight norms, the Fisher
 * information. It runs on the training thread while training waits, so it should be quick; the
 * numbers it returns reach every series of the probe as {@link ProbeData#network()}, and the
 * series' {@link ProbeSeries#measure} runs later on a probe thread as usual.
 */
public interface NetworkInspection {
    /**
     * Inspects the network at one point. Must not keep {@code network} or anything it returned
     * beyond the call.
     *
     * @param network the network, paused
     * @param step the global step
     * @param seed randomness for this point (derived from the run's probe seed, the probe's label
     *     and the step)
     * @return the numbers its series need
     */
    NetworkFacts inspect(LiveNetwork network, long step, long seed);

    /**
     * Whether {@link #inspect} calls {@link LiveNetwork#gradient}: a backend must then
     * {@linkplain org.infodyn.api.backend.Backend#computesGradients() compute gradients}, which
     * infodyn checks before training, and the run is not trained in a replica group. Default false.
     */
    default boolean needsGradients() {
        return false;
    }
}
