package org.infodyn.engine.experiment;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An experiment as read from its file (YAML or JSON) with the command line's overrides applied
 * and the api's defaults filled in. Plugin blocks ({@code task}, {@code model}, each probe) are
 * kept as written; the runner binds them to the plugins' declared parameters.
 *
 * @param name short name, used in run ids and directory names ({@code [A-Za-z0-9._-]+})
 * @param description free text (optional)
 * @param seeds the run seeds, in order, no repeats
 * @param backend the backend id, when the experiment fixes one
 * @param device {@code auto}, {@code cpu} or {@code gpu}
 * @param threads intra-op threads per run
 * @param task the task block
 * @param model the model block
 * @param phases training phases, at least one
 * @param probes probe blocks (may be empty: then only training metrics are written)
 * @param schedule when to probe
 * @param overrides the command-line overrides that were applied (for provenance and messages)
 */
public record Experiment(String name, String description, List<Long> seeds, Optional<String> backend, String device,
        int threads, ComponentSpec task, ComponentSpec model, List<PhaseSpec> phases, List<ProbeSpec> probes,
        ScheduleSpec schedule, Overrides overrides) {

    public Experiment {
        Objects.requireNonNull(name);
        seeds = List.copyOf(seeds);
        phases = List.copyOf(phases);
        probes = List.copyOf(probes);
    }
}
