package org.infodyn.probes.usable;

import java.util.Map;

import org.infodyn.api.probe.Probe;
import org.infodyn.testkit.ProbeCompatibilityKit;

/** The usable-information probe with the linear decoder against the Probe contract. */
class UsableInformationLinearCompatibilityTest extends ProbeCompatibilityKit {
    @Override
    protected Probe probe() {
        return new UsableInformationProbe();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("decoder", "linear");
    }
}
