package org.infodyn.api.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named numbers a {@link NetworkInspection} computed from the live network at one probe point,
 * handed to every series of its probe (e.g. {@code dense1/norm}, {@code total/fisher}).
 *
 * @param values name → value, in insertion order
 */
public record NetworkFacts(Map<String, Double> values) {
    /** No facts. */
    public static final NetworkFacts EMPTY = new NetworkFacts(Map.of());

    public NetworkFacts {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The value named {@code name}, NaN when there is none. */
    public double get(String name) {
        Double v = values.get(name);
        return v == null ? Double.NaN : v;
    }
}
