package org.infodyn.probes.weights;

import org.infodyn.api.probe.Probe;
import org.infodyn.testkit.ProbeCompatibilityKit;

/** The {@code weights} probe against the Probe contract (its inspection on the reference backend). */
class WeightsCompatibilityTest extends ProbeCompatibilityKit {
    @Override
    protected Probe probe() {
        return new WeightsProbe();
    }
}
