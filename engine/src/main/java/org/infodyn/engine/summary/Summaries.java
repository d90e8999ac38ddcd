package org.infodyn.engine.summary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.output.AtomicFiles;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.output.MetricsCsv;

/**
 * Aggregates the runs of a directory over seeds and writes {@code summary.csv} (long format),
 * {@code summary.json} and {@code extremes.csv}. A pure function of the files on disk, so it can be
 * redone at any time; the HTML report is drawn from what it returns.
 *
 * @param runs the runs read
 * @param rows the summary rows (mean, sd, n, 95 % CI per condition, probe, layer, variable, metric, step)
 * @param extremes per condition, probe, layer and variable: peak, final value and drop over seeds
 */
public record Summaries(Runs runs, List<SummaryRow> rows, List<Extremes> extremes) {
    /** Summary file names. */
    public static final String SUMMARY_CSV = "summary.csv";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String EXTREMES_CSV = "extremes.csv";

    /**
     * Reads {@code dir}'s runs, aggregates them and writes the three summary files.
     *
     * @throws ConfigException when the directory holds no runs
     */
    public static Summaries write(Path dir) throws IOException {
        Runs runs = Runs.load(dir);
        if (runs.runs().isEmpty()) {
            throw new ConfigException("no runs found in " + dir + " (looked for */manifest.json and runs/*/manifest.json)");
        }
        Summaries s = new Summaries(runs, Aggregator.aggregate(runs.runs()), Extremes.of(runs.runs()));
        AtomicFiles.writeString(dir.resolve(SUMMARY_CSV), s.summaryCsv());
        Json.write(dir.resolve(SUMMARY_JSON), s.summaryJson());
        AtomicFiles.writeString(dir.resolve(EXTREMES_CSV), s.extremesCsv());
        return s;
    }

    private String summaryCsv() {
        StringBuilder sb = new StringBuilder(SummaryRow.HEADER).append('\n');
        for (SummaryRow r : rows) {
            sb.append(csv(r.condition())).append(',').append(csv(r.probe())).append(',').append(csv(r.layer())).append(',')
                    .append(csv(r.variable())).append(',').append(csv(r.metric())).append(',').append(r.step()).append(',')
                    .append(MetricsCsv.decimal(r.epoch())).append(',').append(r.n()).append(',').append(MetricsCsv.decimal(r.mean()))
                    .append(',').append(MetricsCsv.decimal(r.sd())).append(',').append(MetricsCsv.decimal(r.ciLow())).append(',')
                    .append(MetricsCsv.decimal(r.ciHigh())).append('\n');
        }
        return sb.toString();
    }

    private String extremesCsv() {
        StringBuilder sb = new StringBuilder(Extremes.HEADER).append('\n');
        for (Extremes e : extremes) {
            sb.append(csv(e.condition())).append(',').append(csv(e.probe())).append(',').append(csv(e.layer())).append(',')
                    .append(csv(e.variable())).append(',').append(e.peak().n());
            for (Estimate x : List.of(e.peak(), e.last(), e.drop())) {
                sb.append(',').append(MetricsCsv.decimal(x.mean())).append(',').append(MetricsCsv.decimal(x.ciLow())).append(',')
                        .append(MetricsCsv.decimal(x.ciHigh()));
            }
            sb.append(',').append(MetricsCsv.decimal(e.peakStep())).append(',').append(MetricsCsv.decimal(e.peakEpoch())).append('\n');
        }
        return sb.toString();
    }

    private static String csv(String s) {
        return s.indexOf(',') < 0 && s.indexOf('"') < 0 ? s : '"' + s.replace("\"", "\"\"") + '"';
    }

    private Map<String, Object> summaryJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interval", "95% confidence interval of the mean over seeds: mean ± t(0.975, n−1)·sd/√n");
        List<Object> conditions = new ArrayList<>();
        runs.conditions().forEach((id, label) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", id);
            c.put("label", label);
            List<Object> rs = new ArrayList<>();
            for (RunRecord r : runs.runs()) {
                if (r.condition().equals(id)) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("run_id", r.runId());
                    x.put("seed", r.seed());
                    x.put("backend", r.backend());
                    x.put("status", r.status());
                    rs.add(x);
                }
            }
            c.put("runs", rs);
            conditions.add(c);
        });
        m.put("conditions", conditions);
        List<Object> out = new ArrayList<>(rows.size());
        for (SummaryRow r : rows) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("condition", r.condition());
            x.put("probe", r.probe());
            x.put("layer", r.layer());
            x.put("variable", r.variable());
            x.put("metric", r.metric());
            x.put("step", r.step());
            x.put("epoch", r.epoch());
            x.put("n", r.n());
            x.put("mean", finite(r.mean()));
            x.put("sd", finite(r.sd()));
            x.put("ci_low", finite(r.ciLow()));
            x.put("ci_high", finite(r.ciHigh()));
            out.add(x);
        }
        m.put("rows", out);
        return m;
    }

    /** JSON has no NaN: non-finite values become null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** A few lines for the console: run statuses, and per condition the peak → final bits of each series. */
    public String overview() {
        Map<String, Integer> statuses = new LinkedHashMap<>();
        runs.runs().forEach(r -> statuses.merge(r.status(), 1, Integer::sum));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%d runs (%s), %d conditions", runs.runs().size(), statuses.toString().replaceAll("[{}]", ""),
                runs.conditions().size()));
        if (!extremes.isEmpty()) {
            sb.append(String.format("%nusable information, bits, per seed then mean over seeds [95%% CI]: peak → final"));
            for (String cond : runs.conditions().keySet()) {
                sb.append(String.format("%n  %s", runs.conditions().get(cond)));
                for (Extremes e : extremes) {
                    if (e.condition().equals(cond)) {
                        String key = (e.probe().equals("usable-information") ? "" : e.probe() + " ") + e.layer() + " " + e.variable();
                        sb.append(String.format(Locale.ROOT, "%n    %-24s %s → %s", key, e.peak().format().replaceAll(" \\(n=\\d+\\)", ""),
                                e.last().format()));
                    }
                }
            }
        }
        runs.problems().forEach(p -> sb.append(String.format("%nproblem: %s", p)));
        return sb.toString();
    }
}
