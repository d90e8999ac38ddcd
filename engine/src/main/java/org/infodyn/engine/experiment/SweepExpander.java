package org.infodyn.engine.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;

/**
 * Expands an experiment tree with a {@code sweep} block into its grid (see {@link Sweep}): one
 * axis per field path, {@code seeds} shared by every condition, and every grid point bound as a
 * full experiment, so a bad axis path or value is reported before anything runs.
 */
public final class SweepExpander {
    /** The field holding a sweep grid. */
    public static final String SWEEP = "sweep";

    private SweepExpander() {
    }

    /**
     * Expands a parsed tree.
     *
     * @param parsed the file's tree (not changed)
     * @param overrides the command line's overrides, applied to every condition
     * @param defaultName the experiment's name when it gives none
     * @throws ConfigException when the tree has no {@code sweep} block, or a block with an empty
     *     list, repeated values, or an axis that an override also sets
     */
    public static Sweep expand(Map<String, Object> parsed, Overrides overrides, String defaultName) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) ExperimentParser.plain(parsed);
        overrides.applyTo(tree);
        Object block = tree.remove(SWEEP);
        if (block == null) {
            throw new ConfigException(SWEEP, "the experiment has no sweep block; run it with 'infodyn run', or add e.g. "
                    + "sweep: {train.phases[0].lr: [0.05, 0.005]}");
        }
        if (!(block instanceof Map<?, ?> map)) {
            throw new ConfigException(SWEEP, "expected a mapping of field paths to lists of values, got " + Params.describe(block));
        }
        List<SweepAxis> axes = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String path = String.valueOf(e.getKey());
            if (path.equals("seeds")) {
                // every condition runs these seeds: not a grid axis; a --set seeds=… wins over the file
                if (overrides.touching("seeds").isEmpty()) {
                    tree.put("seeds", e.getValue());
                }
                continue;
            }
            axes.add(axis(path, e.getValue(), overrides));
        }
        axes = uniqueLabels(axes);
        Experiment base = ExperimentBinder.bind(tree, overrides, defaultName);
        List<Sweep.Condition> conditions = new ArrayList<>();
        expand(axes, 0, new LinkedHashMap<>(), new LinkedHashMap<>(), tree, overrides, base.name(), conditions);
        return new Sweep(base, axes, conditions);
    }

    private static SweepAxis axis(String path, Object raw, Overrides overrides) {
        Optional<Overrides.Override> clash = overrides.touching(path);
        if (clash.isPresent()) {
            // the grid would silently replace the override's value in every condition
            throw new ConfigException(SWEEP + "." + path, "is an axis of the sweep (values " + raw + "); "
                    + clash.get().origin() + " " + clash.get().text() + " cannot change it: edit the sweep block, or run one "
                    + "condition with 'infodyn run'");
        }
        if (raw == null) {
            throw new ConfigException(SWEEP + "." + path, "no values; give a list of the values to sweep, e.g. [0.05, 0.005]");
        }
        List<Object> values = raw instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>(List.of(raw));
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new ConfigException(SWEEP + "." + path + "[" + i + "]", "the value is missing (null); give a value or remove it");
            }
        }
        if (values.isEmpty()) {
            throw new ConfigException(SWEEP + "." + path, "the list is empty; give at least one value");
        }
        if (new LinkedHashSet<>(values).size() != values.size()) {
            throw new ConfigException(SWEEP + "." + path, "values repeat: " + values);
        }
        return new SweepAxis(path, path.replaceAll(".*\\.", "").replaceAll("\\[\\d+\\]", ""), values);
    }

    private static List<SweepAxis> uniqueLabels(List<SweepAxis> axes) {
        List<SweepAxis> out = new ArrayList<>();
        for (SweepAxis a : axes) {
            boolean clash = axes.stream().filter(b -> b.label().equals(a.label())).count() > 1;
            out.add(clash ? new SweepAxis(a.path(), a.path().replaceAll("[^A-Za-z0-9]+", "-"), a.values()) : a);
        }
        return out;
    }

    private static void expand(List<SweepAxis> axes, int i, Map<String, Object> assignment, Map<String, Object> labels,
            Map<String, Object> tree, Overrides overrides, String name, List<Sweep.Condition> out) {
        if (i == axes.size()) {
            String id = Sweep.conditionId(labels);
            Experiment e = ExperimentBinder.bind(tree, overrides.then(Overrides.of(SWEEP, assignment)), name);
            Experiment named = new Experiment(name + "_" + id, e.description(), e.seeds(), e.backend(), e.device(), e.threads(),
                    e.task(), e.model(), e.phases(), e.divergence(), e.probes(), e.schedule(), e.replicas(), e.activations(),
                    e.overrides());
            out.add(new Sweep.Condition(id, labels, named));
            return;
        }
        SweepAxis axis = axes.get(i);
        for (Object v : axis.values()) {
            assignment.put(axis.path(), v);
            labels.put(axis.label(), v);
            expand(axes, i + 1, assignment, labels, tree, overrides, name, out);
        }
        assignment.remove(axis.path());
        labels.remove(axis.label());
    }
}
