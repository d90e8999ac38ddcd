package org.example.infodyn.separation;

import org.infodyn.api.probe.Probe;
import org.infodyn.testkit.ProbeCompatibilityKit;

/** The probe kit: declared metrics, determinism, order invariance, independent series, registration. */
class SeparationProbeCompatibilityTest extends ProbeCompatibilityKit {
    @Override
    protected Probe probe() {
        return new SeparationProbe();
    }
}
