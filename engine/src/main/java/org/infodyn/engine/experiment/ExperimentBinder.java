package org.infodyn.engine.experiment;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;

/**
 * Binds a parsed experiment tree strictly: every field is known (an unknown one is an error that
 * names it and lists the known ones), every value is checked with its path, missing fields take
 * the documented defaults. Plugin blocks ({@code task}, {@code model}, each probe) are kept as
 * written; the run planner binds them to the plugins' declared parameters.
 */
public final class ExperimentBinder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern RANGE = Pattern.compile("\\s*(\\d+)\\s*\\.\\.\\s*(\\d+)\\s*");
    private static final int MAX_SEEDS = 100_000;
    /** The model used when an experiment names none. */
    public static final String DEFAULT_MODEL = "mlp";

    private ExperimentBinder() {
    }

    /** Binds a parsed tree (a copy is taken; overrides are applied to the copy). */
    @SuppressWarnings("unchecked")
    public static Experiment bind(Map<String, Object> parsed, Overrides overrides, String defaultName) {
        Map<String, Object> tree = (Map<String, Object>) ExperimentParser.plain(parsed);
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
        String given = top.string("device", "auto").strip();
        String device = BuildOptions.parseDevice(given).orElseThrow(() -> new ConfigException("device", "unknown device '"
                + given.toLowerCase(Locale.ROOT) + "'; allowed: " + ConfigException.list(BuildOptions.DEVICES)));
        long threads = top.integer("threads", 1);
        if (threads < 1 || threads > 1024) {
            throw new ConfigException("threads", "must be between 1 and 1024, got " + threads);
        }
        if (!top.has("task")) {
            throw new ConfigException("task", "missing required field: the task block, e.g. {id: checkerboard}");
        }
        ComponentSpec task = component(top, "task", Optional.empty());
        ComponentSpec model = top.has("model") ? component(top, "model", Optional.of(DEFAULT_MODEL)) : ComponentSpec.of(DEFAULT_MODEL);
        Optional<Long> replicas = top.optInteger("replicas");
        if (replicas.isPresent() && (replicas.get() < 1 || replicas.get() > 10_000)) {
            throw new ConfigException("replicas", "must be between 1 and 10000 (1 trains every run on its own), got " + replicas.get());
        }
        Train train = train(top);
        List<ProbeSpec> probes = probes(top);
        ScheduleSpec schedule = schedule(top);
        Optional<ActivationsSpec> activations = ActivationsSpec.bind(top);
        top.finish();
        return new Experiment(name, description, seeds, backend, device, (int) threads, task, model, train.phases(),
                train.divergence(), probes, schedule, replicas.map(Long::intValue), activations, overrides);
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

    /** The {@code train} block: its phases and the divergence bound. */
    private record Train(List<PhaseSpec> phases, double divergence) {
    }

    private static Train train(Fields top) {
        if (!top.has("train")) {
            throw new ConfigException("train", "missing required field: the training block, e.g. {phases: [{epochs: 30, lr: 0.05, batch: 32}]}");
        }
        Fields train = Fields.of("train", top.raw("train"));
        List<Object> raw = train.list("phases");
        double divergence = train.decimal("divergence", Experiment.DEFAULT_DIVERGENCE);
        if (!(divergence == 0 || divergence > 1) || Double.isInfinite(divergence)) {
            throw new ConfigException("train.divergence", "must be > 1 (a multiple of the first step's loss) or 0 (off), got "
                    + Params.format(divergence));
        }
        train.finish();
        if (raw.isEmpty()) {
            throw new ConfigException("train.phases", "at least one phase is needed, e.g. {epochs: 30, lr: 0.05, batch: 32}");
        }
        List<PhaseSpec> phases = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            phases.add(phase(Fields.of("train.phases[" + i + "]", raw.get(i))));
        }
        return new Train(phases, divergence);
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
        double lr = f.optDecimal("lr").orElseThrow(() -> new ConfigException(f.at("lr"), "missing required field: the learning rate, > 0"));
        long batch = f.integer("batch", 32);
        if (batch < 1 || batch > Integer.MAX_VALUE) {
            throw new ConfigException(f.at("batch"), "must be ≥ 1, got " + batch);
        }
        double momentum = f.decimal("momentum", 0.0);
        double wd = f.decimal("weightDecay", 0.0);
        SgdSettings.problem(lr, momentum, wd).ifPresent(p -> {
            throw new ConfigException(f.at(p.field()), p.message());
        });
        Optional<String> target = f.optString("target");
        boolean freshHead = f.bool("freshHead", false);
        f.finish();
        return new PhaseSpec(epochs, steps, new SgdSettings(lr, momentum, wd), (int) batch, target, freshHead);
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
            ReduceSetting reduce = ReduceSetting.parse(f.string(ReduceSetting.FIELD, ReduceSetting.AUTO.text()), f.at(ReduceSetting.FIELD));
            out.add(new ProbeSpec(new ComponentSpec(id, f.rest()), label, layers, variables, reduce));
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
