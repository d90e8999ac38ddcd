package org.infodyn.engine.summary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.infodyn.engine.output.RunDirectory;

/**
 * Finds and reads the runs under a directory: a sweep's ({@code sweep.json} + {@code runs/}) or a
 * folder of runs written by {@code infodyn run}. Conditions come from {@code sweep.json}, or else
 * from the runs' experiment names (with the backend added when one name ran on several backends).
 *
 * @param runs the runs, ordered by condition, then seed
 * @param conditions condition id → label, in order
 * @param definition the sweep's definition, or empty for a folder of plain runs
 * @param problems runs that could not be read, with the reason
 */
public record Runs(List<RunRecord> runs, Map<String, String> conditions, Map<String, Object> definition, List<String> problems) {

    /** Reads {@code dir}. */
    @SuppressWarnings("unchecked")
    public static Runs load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("no such directory: " + dir);
        }
        Path sweepFile = dir.resolve("sweep.json");
        Map<String, Object> def = Files.exists(sweepFile) ? Json.readObject(sweepFile) : Map.of();
        Path runsDir = Files.isDirectory(dir.resolve("runs")) ? dir.resolve("runs") : dir;
        Map<String, String> conditionOfRun = new HashMap<>();
        Map<String, String> conditions = new LinkedHashMap<>();
        for (Object o : (List<Object>) def.getOrDefault("conditions", List.of())) {
            Map<String, Object> c = (Map<String, Object>) o;
            conditions.put((String) c.get("id"), (String) c.get("label"));
            for (Object r : (List<Object>) c.get("runs")) {
                conditionOfRun.put((String) ((Map<String, Object>) r).get("run_id"), (String) c.get("id"));
            }
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(runsDir)) {
            dirs = s.filter(p -> Files.exists(p.resolve(RunDirectory.MANIFEST))).sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> manifests = new ArrayList<>();
        List<Path> readable = new ArrayList<>();
        for (Path d : dirs) {
            try {
                manifests.add(Json.readObject(d.resolve(RunDirectory.MANIFEST)));
                readable.add(d);
            } catch (IOException | RuntimeException e) {
                problems.add(d.getFileName() + ": manifest.json unreadable (" + e.getMessage() + ")");
            }
        }
        // Without sweep.json: one condition per experiment name, split by backend where needed.
        Map<String, Set<String>> backendsOfName = new HashMap<>();
        for (Map<String, Object> m : manifests) {
            backendsOfName.computeIfAbsent(name(m), k -> new HashSet<>()).add(backend(m));
        }
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < readable.size(); i++) {
            Map<String, Object> m = manifests.get(i);
            String runId = String.valueOf(m.get("run_id"));
            String condition = conditionOfRun.get(runId);
            if (condition == null) {
                condition = backendsOfName.get(name(m)).size() > 1 ? name(m) + "/" + backend(m) : name(m);
                conditions.putIfAbsent(condition, condition);
            }
            List<MetricRow> rows = List.of();
            Path metrics = readable.get(i).resolve(MetricsCsv.FILE);
            if (Files.exists(metrics)) {
                try {
                    rows = MetricsCsv.read(metrics);
                } catch (IOException e) {
                    problems.add(runId + ": " + e.getMessage());
                }
            } else {
                problems.add(runId + ": no metrics.csv (status " + m.get("status") + ")");
            }
            runs.add(new RunRecord(runId, condition, ((Number) m.getOrDefault("seed", 0)).longValue(), backend(m),
                    String.valueOf(m.get("status")), String.valueOf(m.getOrDefault("reason", "")), m, rows));
        }
        List<String> order = new ArrayList<>(conditions.keySet());
        runs.sort((a, b) -> a.condition().equals(b.condition()) ? Long.compare(a.seed(), b.seed())
                : Integer.compare(order.indexOf(a.condition()), order.indexOf(b.condition())));
        return new Runs(runs, conditions, def, problems);
    }

    @SuppressWarnings("unchecked")
    private static String name(Map<String, Object> manifest) {
        return String.valueOf(((Map<String, Object>) manifest.getOrDefault("experiment", Map.of())).get("name"));
    }

    @SuppressWarnings("unchecked")
    private static String backend(Map<String, Object> manifest) {
        return String.valueOf(((Map<String, Object>) manifest.getOrDefault("backend", Map.of())).get("id"));
    }
}
