package org.infodyn.engine.run;

import java.util.List;
import java.util.Map;

import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.Probe;
import org.infodyn.engine.experiment.ProbeSpec;

/**
 * A probe block resolved for one run: the plugin, its configured instrument and the concrete
 * layers and variables it measures.
 *
 * @param spec the block as written
 * @param probe the plugin
 * @param configured the configured instrument
 * @param layers layer names (defaults resolved)
 * @param variables variable names (defaults resolved)
 * @param reductions per layer, what the probe sees of it
 */
public record PlannedProbe(ProbeSpec spec, Probe probe, ConfiguredProbe configured, List<String> layers,
        List<String> variables, Map<String, Reduction> reductions) {
    public PlannedProbe {
        layers = List.copyOf(layers);
        variables = List.copyOf(variables);
        reductions = Map.copyOf(reductions);
    }

    /** The label written in the {@code probe} column. */
    public String label() {
        return spec.label();
    }
}
