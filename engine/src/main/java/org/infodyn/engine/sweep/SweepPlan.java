package org.infodyn.engine.sweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.infodyn.api.Infodyn;
import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.experiment.Sweep;
import org.infodyn.engine.experiment.SweepAxis;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.run.RunPlan;
import org.infodyn.engine.run.RunPlanner;

/**
 * A sweep resolved into runs: every condition planned once (so every configuration error shows
 * before anything runs), the backend of each condition chosen, and a fingerprint of what the
 * sweep computes, so that {@code --resume} can refuse a directory made by a different experiment.
 */
public final class SweepPlan {
    /** The sweep's definition file, at the top of its directory. */
    public static final String FILE = "sweep.json";

    private final Sweep sweep;
    private final List<SweepRun> runs;
    private final Map<String, Object> definition;
    private final List<String> adjustments;

    /**
     * One run of the sweep.
     *
     * @param condition its grid point
     * @param seed its seed
     * @param runId its id and directory name
     * @param backend the backend chosen for its condition
     */
    public record SweepRun(Sweep.Condition condition, long seed, String runId, Registry.BackendChoice backend) {
    }

    private SweepPlan(Sweep sweep, List<SweepRun> runs, Map<String, Object> definition, List<String> adjustments) {
        this.sweep = sweep;
        this.runs = List.copyOf(runs);
        this.definition = definition;
        this.adjustments = List.copyOf(adjustments);
    }

    /**
     * Plans every condition (first seed) and lists the runs.
     *
     * @param backendFlag the {@code --backend} value, if any (refused when the grid sweeps backends)
     * @throws ConfigException for anything the user must fix
     */
    public static SweepPlan create(Sweep sweep, Registry registry, Optional<String> backendFlag, Optional<String> env) {
        if (backendFlag.isPresent() && sweep.axes().stream().anyMatch(a -> a.path().equals("backend"))) {
            throw new ConfigException("--backend " + backendFlag.get() + " conflicts with the sweep's backend axis; drop one of them");
        }
        RunPlanner planner = new RunPlanner(registry);
        List<SweepRun> runs = new ArrayList<>();
        List<Object> conditions = new ArrayList<>();
        Set<String> adjustments = new LinkedHashSet<>();
        for (Sweep.Condition c : sweep.conditions()) {
            Registry.BackendChoice choice;
            try {
                choice = registry.chooseBackend(backendFlag, c.experiment().backend(), env);
            } catch (ConfigException e) {
                throw c.experiment().overrides().attribute(e);
            }
            RunPlan first = planner.plan(c.experiment(), c.experiment().seeds().get(0), choice);
            adjustments.addAll(first.adjustments());
            List<Object> runList = new ArrayList<>();
            for (long seed : c.experiment().seeds()) {
                String id = RunPlanner.runId(c.experiment(), choice.backend().id(), seed);
                runs.add(new SweepRun(c, seed, id, choice));
                runList.add(Map.of("run_id", id, "seed", seed, "backend", choice.backend().id()));
            }
            Map<String, Object> effective = new LinkedHashMap<>(first.effectiveExperiment());
            effective.remove("seeds"); // more seeds later is the same sweep, continued
            effective.remove("overrides");
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("id", c.id());
            cm.put("label", c.describe());
            cm.put("values", c.values());
            cm.put("experiment", effective);
            cm.put("runs", runList);
            conditions.add(cm);
        }
        Map<String, Object> def = new LinkedHashMap<>();
        def.put("infodyn_version", Infodyn.version());
        def.put("name", sweep.base().name());
        def.put("created", Instant.now().toString());
        List<Object> axes = new ArrayList<>();
        for (SweepAxis a : sweep.axes()) {
            axes.add(Map.of("path", a.path(), "label", a.label(), "values", a.values()));
        }
        def.put("axes", axes);
        def.put("seeds", sweep.base().seeds());
        def.put("fingerprint", fingerprint(conditions));
        def.put("conditions", conditions);
        return new SweepPlan(sweep, runs, def, new ArrayList<>(adjustments));
    }

    /** SHA-256 of what each condition computes (its effective experiment without seeds). */
    private static String fingerprint(List<Object> conditions) {
        List<Object> canonical = new ArrayList<>();
        for (Object o : conditions) {
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) o;
            canonical.add(List.of(c.get("id"), c.get("experiment")));
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Json.line(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Settings the runs cannot honour as written and what they do instead (from each condition's first run), once each. */
    public List<String> adjustments() {
        return adjustments;
    }

    /** The sweep. */
    public Sweep sweep() {
        return sweep;
    }

    /** Every run, condition by condition, seed by seed. */
    public List<SweepRun> runs() {
        return runs;
    }

    /** What {@code sweep.json} holds. */
    public Map<String, Object> definition() {
        return definition;
    }

    /** The fingerprint. */
    public String fingerprint() {
        return (String) definition.get("fingerprint");
    }

    /**
     * Refuses to continue a sweep directory made by a different experiment, saying where they
     * differ.
     */
    @SuppressWarnings("unchecked")
    public void checkSameAs(Map<String, Object> existing, Path dir) {
        if (fingerprint().equals(existing.get("fingerprint"))) {
            return;
        }
        List<Object> mine = (List<Object>) definition.get("conditions");
        List<Object> theirs = (List<Object>) existing.getOrDefault("conditions", List.of());
        String where;
        List<Object> myIds = mine.stream().map(c -> ((Map<String, Object>) c).get("id")).toList();
        List<Object> theirIds = theirs.stream().map(c -> ((Map<String, Object>) c).get("id")).toList();
        if (!myIds.equals(theirIds)) {
            where = "its conditions are " + theirIds + ", this sweep's are " + myIds;
        } else {
            where = "settings differ";
            for (int i = 0; i < mine.size(); i++) {
                Optional<String> d = firstDifference("", ((Map<String, Object>) theirs.get(i)).get("experiment"),
                        ((Map<String, Object>) mine.get(i)).get("experiment"));
                if (d.isPresent()) {
                    where = "condition " + myIds.get(i) + " differs at " + d.get();
                    break;
                }
            }
        }
        throw new ConfigException("--resume: " + dir + " holds a sweep of a different experiment (" + where
                + "); resume it with the experiment that made it, or choose another --out");
    }

    /** The first path at which two JSON-like trees differ, if any. */
    @SuppressWarnings("unchecked")
    static Optional<String> firstDifference(String path, Object a, Object b) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            Set<Object> keys = new LinkedHashSet<>(ma.keySet());
            keys.addAll(mb.keySet());
            for (Object k : keys) {
                Optional<String> d = firstDifference(path.isEmpty() ? String.valueOf(k) : path + "." + k, ma.get(k), mb.get(k));
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (a instanceof List<?> la && b instanceof List<?> lb && la.size() == lb.size()) {
            for (int i = 0; i < la.size(); i++) {
                Optional<String> d = firstDifference(path + "[" + i + "]", la.get(i), lb.get(i));
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        boolean same = a instanceof Number na && b instanceof Number nb ? na.doubleValue() == nb.doubleValue()
                : Objects.equals(a, b);
        return same ? Optional.empty() : Optional.of(path + " (was " + a + ", now " + b + ")");
    }
}
