package org.infodyn.engine.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;

/**
 * Command-line overrides of an experiment tree: {@code path=value}, where the path addresses the
 * same tree as the file ({@code train.phases[0].lr}, {@code task.noise}, {@code seeds}) and the
 * value is read as YAML ({@code 0.05}, {@code true}, {@code [1, 2]}, {@code 0..4}).
 *
 * <p>Missing mappings on the way are created (so a defaulted field can be set); list indices must
 * exist. Whether the final field exists is checked when the tree is bound, and the message then
 * names the override.
 */
public final class Overrides {
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)((?:\\[\\d+\\])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");

    /** The longest {@code path=value} accepted. */
    private static final int MAX_LENGTH = 65_536;

    private final List<Override> items;

    /**
     * One parsed override.
     *
     * @param text as the user wrote it, {@code path=value}
     * @param path the path part
     * @param segments field names and list positions of the path
     * @param value the value as a plain Java value
     * @param origin where it came from, for messages: {@code --set} or {@code sweep}
     */
    public record Override(String text, String path, List<Object> segments, Object value, String origin) {
    }

    private Overrides(List<Override> items) {
        this.items = List.copyOf(items);
    }

    /** No overrides. */
    public static Overrides none() {
        return new Overrides(List.of());
    }

    /**
     * Parses {@code path=value} strings.
     *
     * @param assignments as given on the command line
     * @param valueParser turns the value text into a plain Java value (YAML scalar/flow rules)
     */
    public static Overrides parse(List<String> assignments, Function<String, Object> valueParser) {
        List<Override> out = new ArrayList<>();
        for (String a : assignments) {
            if (a.length() > MAX_LENGTH) {
                throw new ConfigException("--set " + a.substring(0, 40) + "…: " + a.length() + " characters; an override may have at most "
                        + MAX_LENGTH + " (put long values in the experiment file)");
            }
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + a + ": expected path=value, e.g. --set train.phases[0].lr=0.01");
            }
            String path = a.substring(0, eq).trim();
            out.add(new Override(a, path, segments("--set " + a, path), valueParser.apply(a.substring(eq + 1).trim()), "--set"));
        }
        return new Overrides(out);
    }

    /**
     * Overrides given as values rather than text (a sweep's grid point).
     *
     * @param origin named in messages, e.g. {@code sweep}
     * @param assignments path → plain Java value, applied in order
     */
    public static Overrides of(String origin, Map<String, Object> assignments) {
        List<Override> out = new ArrayList<>();
        assignments.forEach((path, value) -> {
            String text = path + "=" + Params.format(value);
            out.add(new Override(text, path, segments(origin + " " + text, path), value, origin));
        });
        return new Overrides(out);
    }

    /** These overrides followed by {@code later} (which win where both set a field). */
    public Overrides then(Overrides later) {
        List<Override> all = new ArrayList<>(items);
        all.addAll(later.items);
        return new Overrides(all);
    }

    private static List<Object> segments(String text, String path) {
        List<Object> segs = new ArrayList<>();
        if (path.isEmpty()) {
            throw new ConfigException(text + ": empty path; write e.g. train.phases[0].lr=0.01");
        }
        for (String part : path.split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(part);
            if (!m.matches()) {
                throw new ConfigException(text + ": bad path '" + path
                        + "'; write fields separated by dots and list positions in brackets, e.g. train.phases[0].lr");
            }
            segs.add(m.group(1));
            Matcher idx = INDEX.matcher(m.group(2));
            while (idx.find()) {
                segs.add(position(text, path, idx.group(1)));
            }
        }
        return segs;
    }

    /** A list position of a path: digits that fit an {@code int} (no list is longer). */
    private static int position(String text, String path, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new ConfigException(text + ": list position " + digits + " in '" + path + "' is too large; positions start at 0");
        }
    }

    /** The parsed overrides, in order. */
    public List<Override> items() {
        return items;
    }

    /** True when there are none. */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Applies every override to the tree, in order, in place. */
    public void applyTo(Map<String, Object> tree) {
        for (Override o : items) {
            apply(tree, o);
        }
    }

    @SuppressWarnings("unchecked")
    private static void apply(Map<String, Object> tree, Override o) {
        Object node = tree;
        StringBuilder where = new StringBuilder();
        List<Object> segs = o.segments();
        for (int i = 0; i < segs.size(); i++) {
            Object seg = segs.get(i);
            boolean last = i == segs.size() - 1;
            if (seg instanceof String key) {
                if (!(node instanceof Map)) {
                    throw new ConfigException(o.origin() + " " + o.text() + ": '" + where + "' is not a mapping, so it has no field '" + key + "'");
                }
                Map<String, Object> map = (Map<String, Object>) node;
                if (where.length() > 0) {
                    where.append('.');
                }
                where.append(key);
                if (last) {
                    map.put(key, o.value());
                } else {
                    Object next = map.get(key);
                    if (next == null) {
                        next = segs.get(i + 1) instanceof Integer ? null : new LinkedHashMap<String, Object>();
                        if (next == null) {
                            throw new ConfigException(o.origin() + " " + o.text() + ": '" + where + "' does not exist, so it has no position " + segs.get(i + 1));
                        }
                        map.put(key, next);
                    }
                    node = next;
                }
            } else {
                int index = (Integer) seg;
                if (!(node instanceof List)) {
                    throw new ConfigException(o.origin() + " " + o.text() + ": '" + where + "' is not a list");
                }
                List<Object> list = (List<Object>) node;
                if (index >= list.size()) {
                    throw new ConfigException(o.origin() + " " + o.text() + ": '" + where + "' has " + list.size()
                            + (list.size() == 1 ? " element" : " elements") + ", so position " + index + " does not exist");
                }
                where.append('[').append(index).append(']');
                if (last) {
                    list.set(index, o.value());
                } else {
                    node = list.get(index);
                }
            }
        }
    }

    /** The override texts, as given ({@code path=value}), for provenance. */
    public List<String> texts() {
        return items.stream().map(Override::text).toList();
    }

    /**
     * The same error, with the override that set the offending field named, when there is one:
     * a field may be checked long after the overrides were applied (plugin parameters are bound
     * when a run is planned), and the user should still learn which flag was wrong.
     */
    public ConfigException attribute(ConfigException e) {
        Optional<Override> o = touching(e.path());
        if (o.isEmpty() || e.getMessage().contains("(set by ")) {
            return e;
        }
        ConfigException wrapped = new ConfigException(e.path(), e.getMessage().substring(e.path().isEmpty() ? 0 : e.path().length() + 2)
                + " (set by " + o.get().origin() + " " + o.get().text() + ")");
        wrapped.initCause(e);
        return wrapped;
    }

    /** The override that set {@code path} or one of its parents/children, if any. */
    public Optional<Override> touching(String path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        for (int i = items.size() - 1; i >= 0; i--) {
            String p = items.get(i).path();
            if (path.equals(p) || path.startsWith(p + ".") || path.startsWith(p + "[") || p.startsWith(path + ".")
                    || p.startsWith(path + "[")) {
                return Optional.of(items.get(i));
            }
        }
        return Optional.empty();
    }
}
