package org.infodyn.probes.geometry;

import org.infodyn.api.probe.Probe;
import org.infodyn.testkit.ProbeCompatibilityKit;

/** The {@code cka} probe against the Probe contract. */
class CkaCompatibilityTest extends ProbeCompatibilityKit {
    @Override
    protected Probe probe() {
        return new CkaProbe();
    }
}
