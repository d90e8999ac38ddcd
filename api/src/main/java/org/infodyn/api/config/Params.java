package org.infodyn.api.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The resolved parameters of one plugin block: every declared parameter has a value (given or
 * default), every value has been checked against its {@link ParamSpec}. Immutable.
 *
 * <p>Values are plain Java objects: {@code Long}, {@code Double}, {@code Boolean}, {@code String},
 * {@code List<Long>}, {@code List<String>}.
 */
public final class Params {
    private final String path;
    private final Map<String, Object> values;
    private final Map<String, ParamSpec> specs;

    private Params(String path, Map<String, Object> values, Map<String, ParamSpec> specs) {
        this.path = path;
        this.values = Collections.unmodifiableMap(values);
        this.specs = Collections.unmodifiableMap(specs);
    }

    /**
     * Binds user-given values to declared parameters, strictly.
     *
     * @param path where the block sits in the experiment (e.g. {@code task}), for messages
     * @param given the user's values (field name → plain Java value); may omit defaulted fields
     * @param declared the plugin's parameters
     * @throws ConfigException naming the field for an unknown field, a missing required one, a
     *     value of the wrong type or out of range
     */
    public static Params bind(String path, Map<String, ?> given, List<ParamSpec> declared) {
        Map<String, ParamSpec> specs = new LinkedHashMap<>();
        for (ParamSpec s : declared) {
            if (specs.put(s.name(), s) != null) {
                throw new IllegalArgumentException("parameter declared twice: " + s.name());
            }
        }
        for (String field : given.keySet()) {
            if (!specs.containsKey(field)) {
                throw new ConfigException(join(path, field),
                        "unknown field '" + field + "'; known fields: " + ConfigException.list(new TreeSet<>(specs.keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec s : specs.values()) {
            String where = join(path, s.name());
            Object raw = given.get(s.name());
            Object value;
            if (raw == null) {
                value = s.defaultValue().orElseThrow(() -> new ConfigException(where,
                        "missing required field (" + s.type().label() + "): " + s.description()));
            } else {
                value = coerce(where, s, raw);
            }
            check(where, s, value);
            values.put(s.name(), value);
        }
        return new Params(path, values, specs);
    }

    /** Binds with no user values: every parameter takes its default. */
    public static Params defaults(String path, List<ParamSpec> declared) {
        return bind(path, Map.of(), declared);
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static Object coerce(String where, ParamSpec s, Object raw) {
        switch (s.type()) {
            case INTEGER:
                return asLong(where, raw, s);
            case DECIMAL:
                if (raw instanceof Number n) {
                    return n.doubleValue();
                }
                throw wrongType(where, s, raw);
            case BOOLEAN:
                if (raw instanceof Boolean b) {
                    return b;
                }
                throw wrongType(where, s, raw);
            case STRING:
                if (raw instanceof String str) {
                    return str;
                }
                if (raw instanceof Boolean b && s.choices().contains(b.toString())) {
                    return b.toString(); // `warmStart: false` in YAML, for a choice of auto|true|false
                }
                throw wrongType(where, s, raw);
            case INTEGER_LIST: {
                List<?> list = asList(where, s, raw);
                List<Long> out = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    out.add(asLong(where + "[" + i + "]", list.get(i), s));
                }
                return List.copyOf(out);
            }
            case STRING_LIST: {
                List<?> list = asList(where, s, raw);
                List<String> out = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof String str)) {
                        throw new ConfigException(where + "[" + i + "]", "expected a string, got " + describe(list.get(i)));
                    }
                    out.add(str);
                }
                return List.copyOf(out);
            }
            case MAPPING_LIST: {
                List<?> list = asList(where, s, raw);
                List<Map<String, Object>> out = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    out.add(mapping(where + "[" + i + "]", list.get(i)));
                }
                return List.copyOf(out);
            }
            default:
                throw new AssertionError(s.type());
        }
    }

    /** A user mapping as an unmodifiable map with string keys, in the user's order. */
    private static Map<String, Object> mapping(String where, Object raw) {
        if (!(raw instanceof Map<?, ?> m)) {
            throw new ConfigException(where, "expected a mapping like {kind: dense, units: 100}, got " + describe(raw));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new ConfigException(where, "field names must be text, got " + describe(e.getKey()));
            }
            out.put(key, e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<?> asList(String where, ParamSpec s, Object raw) {
        if (raw instanceof List<?> l) {
            return l;
        }
        throw wrongType(where, s, raw);
    }

    private static long asLong(String where, Object raw, ParamSpec s) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15) {
            return (long) n.doubleValue(); // 1e4 or 10000.0 written for an integer field
        }
        throw new ConfigException(where, "expected an integer, got " + describe(raw));
    }

    private static ConfigException wrongType(String where, ParamSpec s, Object raw) {
        String allowed = s.choices().isEmpty() ? "" : " (one of " + ConfigException.list(s.choices()) + ")";
        return new ConfigException(where, "expected " + article(s.type().label()) + allowed + ", got " + describe(raw));
    }

    private static String article(String label) {
        return (label.startsWith("i") ? "an " : "a ") + label;
    }

    /** Describes a user value for a message: strings quoted, lists as lists. */
    public static String describe(Object raw) {
        if (raw instanceof String str) {
            return "'" + shorten(str) + "'";
        }
        if (raw instanceof List<?> l) {
            return "a list of " + l.size() + " " + shorten(l.toString());
        }
        if (raw instanceof Map<?, ?> m) {
            return "a mapping " + shorten(m.toString());
        }
        return shorten(String.valueOf(raw));
    }

    /** A message quotes at most this much of a value: an error must stay one readable line. */
    private static final int QUOTE = 80;

    private static String shorten(String text) {
        return text.length() <= QUOTE ? text : text.substring(0, QUOTE) + "… (" + text.length() + " characters)";
    }

    private static void check(String where, ParamSpec s, Object value) {
        if (!s.choices().isEmpty() && value instanceof String str && !s.choices().contains(str)) {
            throw new ConfigException(where, "unknown value '" + str + "'; allowed: " + ConfigException.list(s.choices()));
        }
        if (value instanceof Number n) {
            checkRange(where, s, n.doubleValue());
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Number n) {
                    checkRange(where + "[" + i + "]", s, n.doubleValue());
                }
            }
        }
    }

    private static void checkRange(String where, ParamSpec s, double v) {
        if (Double.isNaN(v) || s.min().isPresent() && (v < s.min().get() || s.minExclusive() && v == s.min().get())) {
            throw new ConfigException(where, "must be " + (s.minExclusive() ? "> " : "≥ ")
                    + format(s.min().orElse(Double.NEGATIVE_INFINITY)) + ", got " + format(v));
        }
        if (s.max().isPresent() && v > s.max().get()) {
            throw new ConfigException(where, "must be ≤ " + format(s.max().get()) + ", got " + format(v));
        }
    }

    /** Formats a value the way the user would write it: {@code 0.05}, {@code 10000}, {@code [1, 2]}. */
    public static String format(Object v) {
        if (v instanceof Double d) {
            if (!Double.isFinite(d) || Math.abs(d) >= 1e15) {
                return Double.toString(d); // "Infinity", "1.0E30": a plain decimal would be hundreds of digits
            }
            if (d == Math.rint(d)) {
                return Long.toString(d.longValue());
            }
            return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }

    /** Where this block sits in the experiment, for messages. */
    public String path() {
        return path;
    }

    /** All values, in declaration order, defaults included (for provenance). */
    public Map<String, Object> asMap() {
        return values;
    }

    /** The declared parameters. */
    public Map<String, ParamSpec> specs() {
        return specs;
    }

    private Object get(String name, ParamType... allowed) {
        ParamSpec s = specs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no parameter named " + name + " declared; declared: " + specs.keySet());
        }
        for (ParamType t : allowed) {
            if (s.type() == t) {
                return values.get(name);
            }
        }
        throw new IllegalArgumentException("parameter " + name + " is " + s.type() + ", not " + List.of(allowed));
    }

    /** A whole-number parameter. */
    public long getLong(String name) {
        return (Long) get(name, ParamType.INTEGER);
    }

    /** A whole-number parameter that must fit an {@code int}. */
    public int getInt(String name) {
        long v = getLong(name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ConfigException(join(path, name), "value " + v + " is too large");
        }
        return (int) v;
    }

    /** A decimal parameter (an integer parameter is widened). */
    public double getDouble(String name) {
        return ((Number) get(name, ParamType.DECIMAL, ParamType.INTEGER)).doubleValue();
    }

    /** A boolean parameter. */
    public boolean getBoolean(String name) {
        return (Boolean) get(name, ParamType.BOOLEAN);
    }

    /** A string parameter. */
    public String getString(String name) {
        return (String) get(name, ParamType.STRING);
    }

    /** A list-of-integers parameter. */
    @SuppressWarnings("unchecked")
    public List<Long> getLongList(String name) {
        return (List<Long>) get(name, ParamType.INTEGER_LIST);
    }

    /** A list-of-strings parameter. */
    @SuppressWarnings("unchecked")
    public List<String> getStringList(String name) {
        return (List<String>) get(name, ParamType.STRING_LIST);
    }

    /** A list-of-mappings parameter; each mapping is unmodifiable and keeps the user's field order. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> getMappingList(String name) {
        return (List<Map<String, Object>>) get(name, ParamType.MAPPING_LIST);
    }

    /**
     * Throws a {@link ConfigException} for parameter {@code name} unless {@code condition}
     * holds; for checks that involve several parameters or the data.
     */
    public void require(boolean condition, String name, String message) {
        if (!condition) {
            throw new ConfigException(join(path, name), message);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params p && p.path.equals(path) && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, values);
    }

    @Override
    public String toString() {
        return path + values;
    }
}
