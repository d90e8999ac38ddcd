package org.infodyn.api.experiment;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;

/**
 * Reads an experiment file (YAML, or JSON when the name ends in {@code .json}), applies
 * command-line overrides and binds the result strictly: an unknown field is an error that names
 * it and lists the known ones; missing fields take the documented defaults.
 */
public final class ExperimentReader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern RANGE = Pattern.compile("\\s*(\\d+)\\s*\\.\\.\\s*(\\d+)\\s*");
    private static final int MAX_SEEDS = 100_000;
    /** The field holding a sweep grid. */
    public static final String SWEEP = "sweep";
    /** The model used when an experiment names none. */
    public static final String DEFAULT_MODEL = "mlp";

    private static final ObjectMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private ExperimentReader() {
    }

    /** Reads and binds a file with no overrides. */
    public static Experiment read(Path file) {
        return read(file, Overrides.none());
    }

    /**
     * Reads and binds a file.
     *
     * @throws ConfigException for a missing or unreadable file, a syntax error (with line and
     *     column), or a bad field (with its path, and the override that set it, if any)
     */
    public static Experiment read(Path file, Overrides overrides) {
        Map<String, Object> tree = parseFile(file);
        if (tree.containsKey(SWEEP)) {
            throw new ConfigException(SWEEP, "this experiment defines a sweep: run it with 'infodyn sweep " + file
                    + "' (or remove the sweep block to run the base experiment)");
        }
        return bind(tree, overrides, stem(file));
    }

    /**
     * Reads an experiment with a {@code sweep} block and expands its grid (see {@link Sweep}).
     * Every grid point is bound as a full experiment here, so a bad axis path or value is
     * reported before anything runs.
     *
     * @throws ConfigException also when the file has no {@code sweep} block, or a block with an
     *     empty list or repeated values
     */
    public static Sweep readSweep(Path file, Overrides overrides) {
        Map<String, Object> parsed = parseFile(file);
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) plain(parsed);
        overrides.applyTo(tree);
        Object block = tree.remove(SWEEP);
        if (block == null) {
            throw new ConfigException(SWEEP, "the experiment has no sweep block; run it with 'infodyn run', or add e.g. "
                    + "sweep: {train.phases[0].lr: [0.05, 0.005]}");
        }
        if (!(block instanceof Map<?, ?> map)) {
            throw new ConfigException(SWEEP, "expected a mapping of field paths to lists of values, got " + Params.describe(block));
        }
        String stem = stem(file);
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
            Optional<Overrides.Override> clash = overrides.touching(path);
            if (clash.isPresent()) {
                // the grid would silently replace the override's value in every condition
                throw new ConfigException(SWEEP + "." + path, "is an axis of the sweep (values " + e.getValue() + "); "
                        + clash.get().origin() + " " + clash.get().text() + " cannot change it: edit the sweep block, or run one "
                        + "condition with 'infodyn run'");
            }
            Object raw = e.getValue();
            List<Object> values = raw instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>(List.of(raw));
            if (values.isEmpty()) {
                throw new ConfigException(SWEEP + "." + path, "the list is empty; give at least one value");
            }
            if (new LinkedHashSet<>(values).size() != values.size()) {
                throw new ConfigException(SWEEP + "." + path, "values repeat: " + values);
            }
            axes.add(new SweepAxis(path, path.replaceAll(".*\\.", "").replaceAll("\\[\\d+\\]", ""), values));
        }
        axes = uniqueLabels(axes);
        Experiment base = bind(tree, overrides, stem);
        List<Sweep.Condition> conditions = new ArrayList<>();
        expand(axes, 0, new LinkedHashMap<>(), new LinkedHashMap<>(), tree, overrides, base.name(), conditions);
        return new Sweep(base, axes, conditions);
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
            Experiment e = bind(tree, overrides.then(Overrides.of(SWEEP, assignment)), name);
            Experiment named = new Experiment(name + "_" + id, e.description(), e.seeds(), e.backend(), e.device(), e.threads(),
                    e.task(), e.model(), e.phases(), e.probes(), e.schedule(), e.overrides());
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

    private static String stem(Path file) {
        return file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
    }

    /** Parses YAML or JSON text into a tree of plain Java values; {@code origin} names it in messages. */
    public static Map<String, Object> parse(String text, String origin, boolean json) {
        Object tree;
        try {
            tree = plain((json ? JSON : YAML).readValue(text, Object.class));
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? origin : origin + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new ConfigException(where + ": " + (json ? "JSON" : "YAML") + " syntax error: " + oneLine(e.getOriginalMessage()), e);
        }
        if (tree == null) {
            throw new ConfigException(origin + ": the file is empty; an experiment needs at least a task and a model");
        }
        if (!(tree instanceof Map)) {
            throw new ConfigException(origin + ": expected a mapping of fields at the top, got " + Params.describe(tree));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        return map;
    }

    /**
     * The parser's message on one line: SnakeYAML adds the offending source line and a caret
     * under it ("in 'reader', line 1, column 7:"); the location is already in our prefix.
     */
    static String oneLine(String message) {
        StringBuilder sb = new StringBuilder();
        String[] lines = message.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.startsWith("in 'reader'")) {
                i += 2; // skip the quoted source line and the caret line that follow
                continue;
            }
            if (l.isEmpty() || l.startsWith("at [Source")) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(l);
        }
        return sb.toString();
    }

    private static Map<String, Object> parseFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("experiment file not found: " + file, e);
        } catch (IOException e) {
            throw new ConfigException("cannot read experiment file " + file + ": " + e.getMessage(), e);
        }
        if (Files.isDirectory(file)) {
            throw new ConfigException("experiment file " + file + " is a directory");
        }
        return parse(text, file.toString(), file.getFileName().toString().endsWith(".json"));
    }

    /** Reads a {@code --set} value as YAML (so {@code 0.05} is a number, {@code [1,2]} a list); falls back to the text. */
    public static Object parseValue(String text) {
        if (text.isEmpty()) {
            return "";
        }
        try {
            Object v = plain(YAML.readValue(text, Object.class));
            return v == null ? text : v;
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    /** Deep-copies a parsed tree into mutable maps/lists with Long/Double numbers. */
    @SuppressWarnings("unchecked")
    static Object plain(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), plain(val)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 63 ? (Object) b.longValue() : b.doubleValue();
        }
        if (v instanceof Float || v instanceof BigDecimal) {
            return ((Number) v).doubleValue();
        }
        return v;
    }

    /** Binds a parsed tree (a copy is taken; overrides are applied to the copy). */
    @SuppressWarnings("unchecked")
    public static Experiment bind(Map<String, Object> parsed, Overrides overrides, String defaultName) {
        Map<String, Object> tree = (Map<String, Object>) plain(parsed);
        overrides.applyTo(tree);
        try {
            return bindTree(tree, defaultName, overrides);
        } catch (ConfigException e) {
            throw overrides.attribute(e);
        }
    }

    private static Experiment bindTree(Map<String, Object> tree, String defaultName, Overrides overrides) {
        Fields top = Fields.of("", tree);
        String name = top.string("name", defaultName);
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("name", "'" + name + "' is not a usable name; use letters, digits, '.', '_' or '-'");
        }
        String description = top.string("description", "");
        List<Long> seeds = seeds(top);
        Optional<String> backend = top.optString("backend").filter(s -> !s.isBlank());
        String device = top.string("device", "cpu");
        if (!BuildOptions.DEVICES.contains(device)) {
            throw new ConfigException("device", "unknown device '" + device + "'; allowed: " + ConfigException.list(BuildOptions.DEVICES));
        }
        long threads = top.integer("threads", 1);
        if (threads < 1 || threads > 1024) {
            throw new ConfigException("threads", "must be between 1 and 1024, got " + threads);
        }
        if (!top.has("task")) {
            throw new ConfigException("task", "missing required field: the task block, e.g. {id: checkerboard}");
        }
        ComponentSpec task = component(top, "task", Optional.empty());
        ComponentSpec model = top.has("model") ? component(top, "model", Optional.of(DEFAULT_MODEL)) : ComponentSpec.of(DEFAULT_MODEL);
        List<PhaseSpec> phases = phases(top);
        List<ProbeSpec> probes = probes(top);
        ScheduleSpec schedule = schedule(top);
        top.finish();
        return new Experiment(name, description, seeds, backend, device, (int) threads, task, model, phases, probes, schedule,
                overrides);
    }

    private static List<Long> seeds(Fields top) {
        Object raw = top.raw("seeds");
        if (raw == null) {
            return List.of(0L);
        }
        List<Long> seeds = new ArrayList<>();
        if (raw instanceof String s) {
            Matcher m = RANGE.matcher(s);
            if (!m.matches()) {
                throw new ConfigException("seeds", "expected a list of seeds, a seed, or a range like \"0..4\", got '" + s + "'");
            }
            long from = Long.parseLong(m.group(1));
            long to = Long.parseLong(m.group(2));
            if (to < from || to - from >= MAX_SEEDS) {
                throw new ConfigException("seeds", "range '" + s + "' must go upwards and hold at most " + MAX_SEEDS + " seeds");
            }
            for (long x = from; x <= to; x++) {
                seeds.add(x);
            }
        } else {
            List<Object> items = raw instanceof List<?> l ? new ArrayList<>(l) : List.of(raw);
            for (int i = 0; i < items.size(); i++) {
                Object o = items.get(i);
                if (!(o instanceof Long v) || v < 0) {
                    throw new ConfigException("seeds[" + i + "]", "expected a seed (an integer ≥ 0), got " + Params.describe(o));
                }
                seeds.add(v);
            }
        }
        if (seeds.isEmpty()) {
            throw new ConfigException("seeds", "the list is empty; give at least one seed");
        }
        Set<Long> unique = new LinkedHashSet<>(seeds);
        if (unique.size() != seeds.size()) {
            throw new ConfigException("seeds", "seeds repeat: " + seeds);
        }
        return seeds;
    }

    private static ComponentSpec component(Fields parent, String key, Optional<String> defaultId) {
        Object raw = parent.raw(key);
        if (raw instanceof String id) {
            return ComponentSpec.of(id); // shorthand: `task: checkerboard`
        }
        Fields f = Fields.of(parent.at(key), raw);
        String id = defaultId.isPresent() ? f.string("id", defaultId.get()) : f.requiredString("id", "which " + key + " to use");
        return new ComponentSpec(id, f.rest());
    }

    private static List<PhaseSpec> phases(Fields top) {
        if (!top.has("train")) {
            throw new ConfigException("train", "missing required field: the training block, e.g. {phases: [{epochs: 30, lr: 0.05, batch: 32}]}");
        }
        Fields train = Fields.of("train", top.raw("train"));
        List<Object> raw = train.list("phases");
        train.finish();
        if (raw.isEmpty()) {
            throw new ConfigException("train.phases", "at least one phase is needed, e.g. {epochs: 30, lr: 0.05, batch: 32}");
        }
        List<PhaseSpec> phases = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            phases.add(phase(Fields.of("train.phases[" + i + "]", raw.get(i))));
        }
        return phases;
    }

    private static PhaseSpec phase(Fields f) {
        Optional<Double> epochs = f.optDecimal("epochs");
        Optional<Long> steps = f.optInteger("steps");
        if (epochs.isPresent() == steps.isPresent()) {
            throw new ConfigException(f.path(), "give the phase's length as exactly one of 'epochs' (may be fractional) or 'steps'");
        }
        epochs.ifPresent(e -> {
            if (!(e >= 0) || e.isInfinite()) {
                throw new ConfigException(f.at("epochs"), "must be ≥ 0, got " + Params.format(e));
            }
        });
        steps.ifPresent(s -> {
            if (s < 0) {
                throw new ConfigException(f.at("steps"), "must be ≥ 0, got " + s);
            }
        });
        Optional<Double> lrOpt = f.optDecimal("lr");
        double lr = lrOpt.orElseThrow(() -> new ConfigException(f.at("lr"), "missing required field: the learning rate, > 0"));
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new ConfigException(f.at("lr"), "must be > 0, got " + Params.format(lr));
        }
        long batch = f.integer("batch", 32);
        if (batch < 1 || batch > Integer.MAX_VALUE) {
            throw new ConfigException(f.at("batch"), "must be ≥ 1, got " + batch);
        }
        double momentum = f.decimal("momentum", 0.0);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new ConfigException(f.at("momentum"), "must be in [0, 1), got " + Params.format(momentum));
        }
        double wd = f.decimal("weightDecay", 0.0);
        if (!(wd >= 0) || Double.isInfinite(wd)) {
            throw new ConfigException(f.at("weightDecay"), "must be ≥ 0, got " + Params.format(wd));
        }
        Optional<String> target = f.optString("target");
        boolean freshHead = f.bool("freshHead", false);
        f.finish();
        return new PhaseSpec(epochs, steps, lr, (int) batch, momentum, wd, target, freshHead);
    }

    private static List<ProbeSpec> probes(Fields top) {
        List<Object> raw = top.list("probes");
        List<ProbeSpec> out = new ArrayList<>();
        Set<String> labels = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String path = "probes[" + i + "]";
            Fields f = Fields.of(path, raw.get(i));
            String id = f.requiredString("id", "which probe to use, e.g. usable-information");
            String label = f.string("label", id);
            if (!NAME.matcher(label).matches()) {
                throw new ConfigException(f.at("label"), "'" + label + "' is not a usable label; use letters, digits, '.', '_' or '-'");
            }
            if (!labels.add(label)) {
                throw new ConfigException(path, "label '" + label + "' is used by an earlier probe; give this one its own 'label' (it names the probe column)");
            }
            List<String> layers = f.stringList("layers");
            List<String> variables = f.stringList("variables");
            out.add(new ProbeSpec(new ComponentSpec(id, f.rest()), label, layers, variables));
        }
        return out;
    }

    private static ScheduleSpec schedule(Fields top) {
        if (!top.has("schedule")) {
            return ScheduleSpec.defaults();
        }
        Fields f = Fields.of("schedule", top.raw("schedule"));
        boolean hasSteps = f.has("steps");
        boolean hasEvery = f.has("every");
        ScheduleSpec dflt = ScheduleSpec.defaults();
        List<Long> steps = new ArrayList<>();
        if (hasSteps) {
            List<Object> raw = f.list("steps");
            for (int i = 0; i < raw.size(); i++) {
                if (!(raw.get(i) instanceof Long s) || s < 0) {
                    throw new ConfigException("schedule.steps[" + i + "]", "expected a step (an integer ≥ 0), got " + Params.describe(raw.get(i)));
                }
                steps.add(s);
            }
        } else {
            steps.addAll(dflt.steps());
        }
        List<ScheduleSpec.Every> every = new ArrayList<>();
        if (hasEvery) {
            List<Object> raw = f.list("every");
            double previousUntil = 0;
            for (int i = 0; i < raw.size(); i++) {
                Fields r = Fields.of("schedule.every[" + i + "]", raw.get(i));
                Optional<Double> until = r.optDecimal("until");
                double interval = r.optDecimal("epochs").orElseThrow(() -> new ConfigException(r.at("epochs"),
                        "missing required field: the interval in epochs, > 0"));
                r.finish();
                if (!(interval > 0) || Double.isInfinite(interval)) {
                    throw new ConfigException(r.at("epochs"), "must be > 0, got " + Params.format(interval));
                }
                if (until.isPresent() && !(until.get() > previousUntil)) {
                    throw new ConfigException(r.at("until"), "must be greater than the previous rule's end (" + Params.format(previousUntil) + "), got " + Params.format(until.get()));
                }
                if (until.isEmpty() && i != raw.size() - 1) {
                    throw new ConfigException(r.at("until"), "only the last rule may run to the end of training; give this one an 'until'");
                }
                previousUntil = until.orElse(Double.POSITIVE_INFINITY);
                every.add(new ScheduleSpec.Every(until, interval));
            }
        } else {
            every.addAll(dflt.every()); // a field left out keeps its default; `every: []` turns the rules off
        }
        f.finish();
        return new ScheduleSpec(steps, every);
    }
}
