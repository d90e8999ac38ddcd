package org.infodyn.engine.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;

/**
 * The experiment's {@code activations} block: save the probed layers' activations at chosen
 * probe points as NumPy {@code .npz} files, for analysis outside infodyn.
 *
 * <pre>{@code
 * activations: {steps: [0, last], layers: [hidden3], maxMegabytes: 256}
 * }</pre>
 *
 * @param steps the probe steps to save at; {@link #LAST} stands for the run's last step
 * @param layers the layers to save (empty = every probed layer)
 * @param maxMegabytes the most the files of one run may take; a run that would write more is
 *     refused before it starts
 */
public record ActivationsSpec(List<Long> steps, List<String> layers, long maxMegabytes) {
    /** The step written {@code last}: the run's final step, which is always a probe point. */
    public static final long LAST = -1;

    /** The default bound on one run's activation files. */
    public static final long DEFAULT_MAX_MEGABYTES = 1024;

    public ActivationsSpec {
        steps = List.copyOf(steps);
        layers = List.copyOf(layers);
    }

    static Optional<ActivationsSpec> bind(Fields top) {
        if (!top.has("activations")) {
            return Optional.empty();
        }
        Fields f = Fields.of("activations", top.raw("activations"));
        List<Object> raw = f.list("steps");
        if (raw.isEmpty()) {
            throw new ConfigException("activations.steps", "at least one step is needed: probe steps such as [0, 100, last]");
        }
        List<Long> steps = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Object v = raw.get(i);
            if ("last".equals(v)) {
                steps.add(LAST);
            } else if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0) {
                steps.add(((Number) v).longValue());
            } else {
                throw new ConfigException("activations.steps[" + i + "]", "expected a probe step (an integer ≥ 0) or 'last', got "
                        + Params.describe(v));
            }
        }
        List<String> layers = f.stringList("layers");
        long max = f.integer("maxMegabytes", DEFAULT_MAX_MEGABYTES);
        if (max < 1) {
            throw new ConfigException("activations.maxMegabytes", "must be ≥ 1, got " + max);
        }
        f.finish();
        return Optional.of(new ActivationsSpec(steps, layers, max));
    }
}
