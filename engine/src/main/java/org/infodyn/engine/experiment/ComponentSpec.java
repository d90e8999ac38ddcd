package org.infodyn.engine.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A plugin block of an experiment as the user wrote it: an {@code id} and the remaining fields,
 * which the plugin's declared parameters bind later (see {@link org.infodyn.api.config.Params}).
 *
 * @param id the plugin id (task, model or probe)
 * @param fields the other fields, as plain Java values (Long, Double, Boolean, String, List, Map)
 */
public record ComponentSpec(String id, Map<String, Object> fields) {
    public ComponentSpec {
        Objects.requireNonNull(id);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A block with only an id. */
    public static ComponentSpec of(String id) {
        return new ComponentSpec(id, Map.of());
    }
}
