package org.infodyn.probes.weights;

import org.infodyn.api.probe.Probe;
import org.infodyn.testkit.ProbeCompatibilityKit;

/** The {@code fisher} probe against the Probe contract (its inspection on the reference backend). */
class FisherCompatibilityTest extends ProbeCompatibilityKit {
    @Override
    protected Probe probe() {
        return new FisherProbe();
    }
}
