package org.infodyn.tasks.tabular;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.infodyn.api.config.ConfigException;

/**
 * Which columns (or arrays) of a table play which part: the training target, the other probe
 * variables, the features (empty = every column not named otherwise) and an optional column that
 * assigns each row to the train or probe split.
 *
 * @param target the target's column
 * @param variables further label columns to probe
 * @param features feature columns, in order; empty for "all the others"
 * @param split the split column, if any
 * @param declaredClasses declared class names of label columns, in class order
 */
record Columns(String target, List<String> variables, List<String> features, Optional<String> split,
        Map<String, List<String>> declaredClasses) {

    /** The label columns: the target first, then the variables. */
    List<String> labels() {
        Set<String> all = new LinkedHashSet<>();
        all.add(target);
        all.addAll(variables);
        return new ArrayList<>(all);
    }

    /**
     * Resolves the feature columns against the columns the data has, checking that every named
     * column exists and that no column plays two parts.
     *
     * @param source the file, for messages
     * @param available the columns (or arrays) of the data, in order
     */
    List<String> resolveFeatures(String source, List<String> available) {
        for (String label : labels()) {
            requireColumn(label.equals(target) ? "task.target" : "task.variables", source, label, available);
        }
        split.ifPresent(s -> requireColumn("task.split", source, s, available));
        for (String f : features) {
            requireColumn("task.features", source, f, available);
            if (labels().contains(f) || split.filter(f::equals).isPresent()) {
                throw new ConfigException("task.features", "'" + f + "' is also " + (f.equals(target) ? "the target" : split.filter(f::equals)
                        .isPresent() ? "the split column" : "a probe variable") + "; a column cannot be both a feature and a label");
            }
        }
        for (String v : declaredClasses.keySet()) {
            if (!labels().contains(v)) {
                throw new ConfigException("task.classes", "names classes of '" + v + "', which is neither the target nor one of the "
                        + "variables (" + ConfigException.list(labels()) + ")");
            }
        }
        List<String> out = new ArrayList<>(features);
        if (out.isEmpty()) {
            for (String c : available) {
                if (!labels().contains(c) && split.filter(c::equals).isEmpty()) {
                    out.add(c);
                }
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException("task.features", source + " has no column left for features after the target, the variables and "
                    + "the split column");
        }
        return out;
    }

    private static void requireColumn(String field, String source, String name, List<String> available) {
        if (!available.contains(name)) {
            throw new ConfigException(field, "no column '" + name + "' in " + source + "; it has " + shortList(available));
        }
    }

    static String shortList(List<String> names) {
        return names.size() <= 20 ? ConfigException.list(names)
                : ConfigException.list(names.subList(0, 20)) + " … (" + names.size() + " in all)";
    }
}
