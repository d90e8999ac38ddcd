package org.infodyn.engine.experiment;

import java.util.List;

/**
 * One {@code probes[i]} block: which probe, on which layers and variables, with which settings.
 *
 * @param probe the probe id and its own fields
 * @param label the name written in the {@code probe} column; defaults to the id and must be
 *     unique within the experiment (set it to run one probe twice, e.g. linear vs mlp decoders)
 * @param layers layer names to probe; empty = the model's representation layers
 * @param variables variable names to probe; empty = every variable of the task
 * @param reduce how the layers' representations are reduced before the probe sees them
 */
public record ProbeSpec(ComponentSpec probe, String label, List<String> layers, List<String> variables, ReduceSetting reduce) {
    public ProbeSpec {
        layers = List.copyOf(layers);
        variables = List.copyOf(variables);
    }
}
