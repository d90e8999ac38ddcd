package org.infodyn.engine.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;

/**
 * Strict reading of one mapping of the experiment tree: every read declares a known field, and
 * {@link #finish()} rejects any field nobody read, listing the known ones.
 */
final class Fields {
    private final String path;
    private final Map<String, Object> map;
    private final Set<String> known = new LinkedHashSet<>();

    private Fields(String path, Map<String, Object> map) {
        this.path = path;
        this.map = map;
    }

    @SuppressWarnings("unchecked")
    static Fields of(String path, Object value) {
        if (value instanceof Map<?, ?> m) {
            return new Fields(path, (Map<String, Object>) m);
        }
        throw new ConfigException(path, "expected a mapping of fields, got " + Params.describe(value));
    }

    String path() {
        return path;
    }

    String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    Object raw(String key) {
        known.add(key);
        return map.get(key);
    }

    boolean has(String key) {
        known.add(key);
        return map.get(key) != null;
    }

    Optional<String> optString(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return Optional.of(String.valueOf(v));
        }
        throw new ConfigException(at(key), "expected a string, got " + Params.describe(v));
    }

    String string(String key, String dflt) {
        return optString(key).orElse(dflt);
    }

    String requiredString(String key, String what) {
        return optString(key).orElseThrow(() -> new ConfigException(at(key), "missing required field: " + what));
    }

    Optional<Double> optDecimal(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        throw new ConfigException(at(key), "expected a number, got " + Params.describe(v));
    }

    double decimal(String key, double dflt) {
        return optDecimal(key).orElse(dflt);
    }

    Optional<Long> optInteger(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Integer || v instanceof Long) {
            return Optional.of(((Number) v).longValue());
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15) {
            return Optional.of((long) n.doubleValue());
        }
        throw new ConfigException(at(key), "expected an integer, got " + Params.describe(v));
    }

    long integer(String key, long dflt) {
        return optInteger(key).orElse(dflt);
    }

    boolean bool(String key, boolean dflt) {
        Object v = raw(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ConfigException(at(key), "expected true or false, got " + Params.describe(v));
    }

    /** A list field; a single scalar is accepted as a list of one. */
    List<Object> list(String key) {
        Object v = raw(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (v instanceof Map<?, ?>) {
            throw new ConfigException(at(key), "expected a list, got " + Params.describe(v));
        }
        return List.of(v);
    }

    List<String> stringList(String key) {
        List<Object> l = list(key);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) {
                throw new ConfigException(at(key) + "[" + i + "]", "expected a name, got " + Params.describe(l.get(i)));
            }
            out.add(s);
        }
        return out;
    }

    /** The fields not read so far, as a map (for plugin blocks: everything but the api's own fields). */
    Map<String, Object> rest() {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!known.contains(k)) {
                out.put(k, v);
            }
        });
        known.addAll(out.keySet());
        return out;
    }

    void finish() {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigException(at(key), "unknown field '" + key + "'; known fields: "
                        + ConfigException.list(new TreeSet<>(known)));
            }
        }
    }
}
