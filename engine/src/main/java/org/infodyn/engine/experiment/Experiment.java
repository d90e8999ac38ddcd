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
 * @param device {@code auto} (the default), {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param threads intra-op threads per run
 * @param task the task block
 * @param model the model block
 * @param phases training phases, at least one
 * @param divergence a run diverges when a step's loss exceeds this multiple of its first step's
 *     loss (or is not finite); 0 turns the multiple off
 * @param probes probe blocks (may be empty: then only training metrics are written)
 * @param schedule when to probe
 * @param replicas the largest replica group its runs may train in, when the file sets one (an
 *     execution setting: it changes how fast runs go, never what they compute, so it is not part of
 *     the effective experiment)
 * @param activations which probed activations to save as NumPy files, if any
 * @param overrides the command-line overrides that were applied (for provenance and messages)
 */
public record Experiment(String name, String description, List<Long> seeds, Optional<String> backend, String device,
        int threads, ComponentSpec task, ComponentSpec model, List<PhaseSpec> phases, double divergence,
        List<ProbeSpec> probes, ScheduleSpec schedule, Optional<Integer> replicas, Optional<ActivationsSpec> activations,
        Overrides overrides) {

    /**
     * The default divergence bound: 100 × the first step's loss. At initialisation the loss is
     * about ln K (0.69 nats for two classes), so the bound is tens of nats; a run that gets there
     * has left any regime worth measuring (lr 1000 on the main job reaches 45,000).
     */
    public static final double DEFAULT_DIVERGENCE = 100;

    public Experiment {
        Objects.requireNonNull(name);
        seeds = List.copyOf(seeds);
        phases = List.copyOf(phases);
        probes = List.copyOf(probes);
    }
}
