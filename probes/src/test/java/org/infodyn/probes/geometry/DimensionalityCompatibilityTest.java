package org.infodyn.probes.geometry;

import org.infodyn.api.probe.Probe;
import org.infodyn.testkit.ProbeCompatibilityKit;

/** The {@code dimensionality} probe against the Probe contract. */
class DimensionalityCompatibilityTest extends ProbeCompatibilityKit {
    @Override
    protected Probe probe() {
        return new DimensionalityProbe();
    }
}
