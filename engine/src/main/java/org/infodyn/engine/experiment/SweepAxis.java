package org.infodyn.engine.experiment;

import java.util.List;

/**
 * One axis of a sweep grid: a field of the experiment and the values it takes.
 *
 * @param path the field, addressed like a {@code --set} path (e.g. {@code train.phases[0].lr})
 * @param label the short name used in condition ids (the path's last field, or the whole path
 *     when two axes would share it)
 * @param values the values, in order, as plain Java values
 */
public record SweepAxis(String path, String label, List<Object> values) {
    public SweepAxis {
        values = List.copyOf(values);
    }
}
