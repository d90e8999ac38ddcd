package org.infodyn.engine.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.infodyn.api.model.Parameters;
import org.infodyn.engine.output.AtomicFiles;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.infodyn.engine.output.ParametersFile;

/**
 * Compares the runs of one experiment and seed on several backends: every value of every metric
 * of every probe side by side, the largest absolute difference per (probe, layer, variable,
 * metric), the drift of the final parameters from the reference backend's, and a verdict
 * against the tolerances.
 *
 * @param reference the reference backend (the first one given)
 * @param backends all backends, reference first
 * @param table one row per (seed, probe, layer, variable, metric, step): values by backend
 * @param worst per (probe, layer, variable, metric): the largest |difference| from the reference
 * @param drift per backend and seed: max relative parameter difference from the reference
 * @param tolerances the tolerances applied
 */
public record Comparison(String reference, List<String> backends, List<Row> table, Map<String, Double> worst,
        Map<String, Double> drift, Tolerances tolerances) {

    /**
     * The agreement contract.
     *
     * @param bits largest allowed |difference| of a usable-information value ({@code bits}), bits
     * @param parameters largest allowed relative parameter difference at the end, per tensor:
     *     max ‖a−b‖ / max(‖a‖, ‖b‖) ({@link Parameters#maxRelativeNormDifference})
     */
    public record Tolerances(double bits, double parameters) {
    }

    /**
     * One compared value.
     *
     * @param seed the seed
     * @param probe probe label
     * @param layer layer
     * @param variable variable
     * @param metric metric
     * @param step step
     * @param values value by backend, reference first
     */
    public record Row(long seed, String probe, String layer, String variable, String metric, long step, Map<String, Double> values) {
        /** The largest |difference| from the reference's value (NaN if one side is missing or not finite while the other is). */
        public double maxDifference(String reference) {
            double ref = values.getOrDefault(reference, Double.NaN);
            double worst = 0;
            for (double v : values.values()) {
                if (Double.isFinite(ref) != Double.isFinite(v)) {
                    return Double.NaN;
                }
                if (Double.isFinite(v)) {
                    worst = Math.max(worst, Math.abs(v - ref));
                }
            }
            return worst;
        }
    }

    /**
     * Compares run directories.
     *
     * @param runs backend → seed → run directory; the first backend is the reference
     */
    public static Comparison of(Map<String, Map<Long, Path>> runs, Tolerances tol) throws IOException {
        List<String> backends = new ArrayList<>(runs.keySet());
        String ref = backends.get(0);
        Map<String, Row> rows = new TreeMap<>();
        Map<String, Double> drift = new LinkedHashMap<>();
        for (String b : backends) {
            for (Map.Entry<Long, Path> e : runs.get(b).entrySet()) {
                for (MetricRow r : MetricsCsv.read(e.getValue().resolve(MetricsCsv.FILE))) {
                    if (r.probe().equals("train")) {
                        continue; // training metrics follow from the parameters, compared below
                    }
                    String key = String.format("%06d|%s|%s|%s|%s|%012d", e.getKey(), r.probe(), r.layer(), r.variable(), r.metric(), r.step());
                    rows.computeIfAbsent(key, k -> new Row(e.getKey(), r.probe(), r.layer(), r.variable(), r.metric(), r.step(),
                            new LinkedHashMap<>())).values().put(b, r.value());
                }
                if (!b.equals(ref)) {
                    Parameters mine = ParametersFile.read(e.getValue().resolve("checkpoints/final.params"));
                    Parameters theirs = ParametersFile.read(runs.get(ref).get(e.getKey()).resolve("checkpoints/final.params"));
                    drift.put(b + " seed " + e.getKey(), mine.maxRelativeNormDifference(theirs));
                }
            }
        }
        List<Row> table = new ArrayList<>(rows.values());
        Map<String, Double> worst = new LinkedHashMap<>();
        for (Row r : table) {
            String k = r.probe() + " " + r.layer() + " " + r.variable() + " " + r.metric();
            double d = r.values().size() < backends.size() ? Double.NaN : r.maxDifference(ref);
            worst.merge(k, d, (a, x) -> Double.isNaN(a) || Double.isNaN(x) ? Double.NaN : Math.max(a, x));
        }
        return new Comparison(ref, backends, table, worst, drift, tol);
    }

    /** The failures against the tolerances, one line each; empty when the backends agree. */
    public List<String> disagreements() {
        List<String> out = new ArrayList<>();
        worst.forEach((k, d) -> {
            if (k.endsWith(" bits") && !(d <= tolerances.bits())) {
                out.add(k + ": largest difference " + fmt(d) + " bits > tolerance " + fmt(tolerances.bits()));
            }
        });
        drift.forEach((k, d) -> {
            if (!(d <= tolerances.parameters())) {
                out.add(k + ": final parameters differ by " + fmt(d) + " (relative) > tolerance " + fmt(tolerances.parameters()));
            }
        });
        return out;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a (a value is missing or not finite on one side)" : String.format("%.3g", v);
    }

    /** The plain-text summary printed on the console. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("reference: %s; compared: %s%n", reference, String.join(", ", backends.subList(1, backends.size()))));
        sb.append(String.format("%-52s %14s%n", "probe layer variable metric", "max |diff|"));
        worst.forEach((k, d) -> sb.append(String.format("%-52s %14s%n", k, Double.isNaN(d) ? "n/a" : String.format("%.3g", d))));
        drift.forEach((k, d) -> sb.append(String.format("final parameters, %-33s %14s%n", k, String.format("%.3g", d))));
        List<String> bad = disagreements();
        sb.append(bad.isEmpty()
                ? String.format("verdict: AGREE (bits within %s, parameters within %s relative)%n", fmt(tolerances.bits()), fmt(tolerances.parameters()))
                : "verdict: DISAGREE\n  " + String.join("\n  ", bad) + "\n");
        return sb.toString();
    }

    /** Writes {@code comparison.csv} (every value side by side) and {@code comparison.json} (the summary) into {@code dir}. */
    public void write(Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("seed,probe,layer,variable,metric,step");
        backends.forEach(b -> csv.append(',').append(b));
        csv.append(",max_abs_diff\n");
        for (Row r : table) {
            csv.append(r.seed()).append(',').append(r.probe()).append(',').append(r.layer()).append(',').append(r.variable()).append(',')
                    .append(r.metric()).append(',').append(r.step());
            for (String b : backends) {
                csv.append(',').append(MetricsCsv.decimal(r.values().getOrDefault(b, Double.NaN)));
            }
            csv.append(',').append(MetricsCsv.decimal(r.maxDifference(reference))).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("comparison.csv"), csv.toString());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("reference", reference);
        json.put("backends", backends);
        json.put("tolerances", Map.of("bits", tolerances.bits(), "parameters", tolerances.parameters()));
        Map<String, Object> w = new LinkedHashMap<>();
        worst.forEach((k, d) -> w.put(k, Double.isFinite(d) ? d : null));
        json.put("max_abs_diff", w);
        json.put("parameter_drift", drift);
        json.put("agree", disagreements().isEmpty());
        json.put("disagreements", disagreements());
        Json.write(dir.resolve("comparison.json"), json);
    }
}
