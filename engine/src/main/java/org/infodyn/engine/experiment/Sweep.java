package org.infodyn.engine.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.config.Params;

/**
 * An experiment with a {@code sweep} block: a grid over experiment fields. Expanding it gives one
 * {@link Condition} per grid point, in a fixed order (the first axis varies slowest), each a full
 * experiment whose seeds are the sweep's seeds.
 *
 * <pre>{@code
 * sweep:
 *   train.phases[0].lr: [0.05, 0.005]
 *   train.phases[0].batch: [32, 1024]
 *   backend: [djl, tf]          # any field, the backend included
 * seeds: 0..4                   # every condition runs every seed
 * }</pre>
 *
 * @param base the experiment without the sweep (command-line overrides applied)
 * @param axes the grid's axes, in file order
 * @param conditions the expanded grid
 */
public record Sweep(Experiment base, List<SweepAxis> axes, List<Condition> conditions) {

    public Sweep {
        axes = List.copyOf(axes);
        conditions = List.copyOf(conditions);
    }

    /**
     * One grid point.
     *
     * @param id stable, readable id, e.g. {@code lr0.05_batch32} ({@code base} for an empty grid)
     * @param values axis label → value, in axis order
     * @param experiment the full experiment of this point; its name is {@code <name>_<id>}
     */
    public record Condition(String id, Map<String, Object> values, Experiment experiment) {
        public Condition {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** For display: {@code lr=0.05, batch=32}. */
        public String describe() {
            if (values.isEmpty()) {
                return "base";
            }
            List<String> parts = new ArrayList<>();
            values.forEach((k, v) -> parts.add(k + "=" + Params.format(v)));
            return String.join(", ", parts);
        }
    }

    /** Number of runs: conditions × seeds. */
    public int runCount() {
        return conditions.stream().mapToInt(c -> c.experiment().seeds().size()).sum();
    }

    /** The id of a condition from its values: {@code label + value} per axis, joined by '_'. */
    static String conditionId(Map<String, Object> values) {
        if (values.isEmpty()) {
            return "base";
        }
        StringBuilder sb = new StringBuilder();
        values.forEach((label, value) -> {
            if (sb.length() > 0) {
                sb.append('_');
            }
            sb.append(label).append(valueLabel(value));
        });
        return sb.toString();
    }

    /** A value as it appears in a condition id: lists joined by 'x' ({@code 100x100x2}), unsafe characters as '-'. */
    static String valueLabel(Object value) {
        String text = value instanceof List<?> l
                ? String.join("x", l.stream().map(Sweep::valueLabel).toList())
                : Params.format(value);
        return text.replaceAll("[^A-Za-z0-9.x-]+", "-").replaceAll("^-+|-+$", "");
    }
}
