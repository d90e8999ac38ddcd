package org.infodyn.probes.usable;

import java.util.Map;

import org.infodyn.api.probe.Probe;
import org.infodyn.testkit.ProbeCompatibilityKit;

/** The usable-information probe with the mlp decoder against the Probe contract. */
class UsableInformationMlpCompatibilityTest extends ProbeCompatibilityKit {
    @Override
    protected Probe probe() {
        return new UsableInformationProbe();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("decoder", "mlp");
    }

    /**
     * 64 hidden units and 300 full-batch Adam steps over-fit 2,000 samples of a 5-dimensional
     * independent representation: measured −0.16 bits (the linear decoder: within ±0.02). That
     * over-fit is a property of the decoder family, which infodyn reports rather than clips.
     */
    @Override
    protected double informationTolerance() {
        return 0.25;
    }

    /**
     * Full-batch gradients are float32 sums: another sample order rounds differently, and 300
     * non-convex Adam steps carry the difference on (measured up to 6e-3 bits on the fit loss,
     * 5e-4 on the held-out one). The linear decoder, fitted to convergence, agrees to 1e-6.
     */
    @Override
    protected double orderTolerance() {
        return 1e-2;
    }
}
