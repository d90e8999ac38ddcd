package org.infodyn.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.infodyn.api.output.AtomicFiles;
import org.infodyn.api.output.Json;
import org.infodyn.api.output.MetricsCsv;

/**
 * Writes the aggregate outputs of a directory of runs: {@code summary.csv} (long format),
 * {@code summary.json}, {@code figures/*.svg} and the self-contained {@code report.html}. Pure
 * function of the files on disk, so {@code infodyn report DIR} regenerates it at any time.
 */
public final class Report {
    /** The training metrics drawn in the report, with their axis labels. */
    static final Map<String, String> TRAINING = Map.of("heldout_accuracy", "held-out accuracy", "loss", "training loss (nats)");

    private Report() {
    }

    /**
     * What was written.
     *
     * @param runs number of runs read
     * @param rows number of summary rows
     * @param figures figure files written
     * @param overview a few lines for the console
     */
    public record Result(int runs, int rows, List<Path> figures, String overview) {
    }

    /** Reads {@code dir}'s runs and writes its summary, figures and report. */
    public static Result write(Path dir) throws IOException {
        Runs runs = Runs.load(dir);
        if (runs.runs().isEmpty()) {
            throw new org.infodyn.api.config.ConfigException("no runs found in " + dir
                    + " (looked for */manifest.json and runs/*/manifest.json)");
        }
        List<SummaryRow> rows = Aggregator.aggregate(runs.runs());
        writeSummaryCsv(dir.resolve("summary.csv"), rows);
        Json.write(dir.resolve("summary.json"), summaryJson(runs, rows));
        List<Extremes> extremes = Extremes.of(runs.runs());
        writeExtremesCsv(dir.resolve("extremes.csv"), extremes);
        Figures figures = Figures.of(runs, rows);
        Path figDir = dir.resolve("figures");
        Files.createDirectories(figDir);
        List<Path> written = new ArrayList<>();
        for (Figures.Figure f : figures.all()) {
            Path p = figDir.resolve(f.file());
            AtomicFiles.writeString(p, f.svg());
            written.add(p);
        }
        AtomicFiles.writeString(dir.resolve("report.html"), HtmlReport.render(dir, runs, rows, extremes, figures));
        return new Result(runs.runs().size(), rows.size(), written, overview(runs, extremes));
    }

    private static void writeSummaryCsv(Path file, List<SummaryRow> rows) throws IOException {
        StringBuilder sb = new StringBuilder(SummaryRow.HEADER).append('\n');
        for (SummaryRow r : rows) {
            sb.append(csv(r.condition())).append(',').append(csv(r.probe())).append(',').append(csv(r.layer())).append(',')
                    .append(csv(r.variable())).append(',').append(csv(r.metric())).append(',').append(r.step()).append(',')
                    .append(MetricsCsv.decimal(r.epoch())).append(',').append(r.n()).append(',').append(MetricsCsv.decimal(r.mean()))
                    .append(',').append(MetricsCsv.decimal(r.sd())).append(',').append(MetricsCsv.decimal(r.ciLow())).append(',')
                    .append(MetricsCsv.decimal(r.ciHigh())).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    private static void writeExtremesCsv(Path file, List<Extremes> extremes) throws IOException {
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
        AtomicFiles.writeString(file, sb.toString());
    }

    private static String csv(String s) {
        return s.indexOf(',') < 0 && s.indexOf('"') < 0 ? s : '"' + s.replace("\"", "\"\"") + '"';
    }

    private static Map<String, Object> summaryJson(Runs runs, List<SummaryRow> rows) {
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

    private static String overview(Runs runs, List<Extremes> extremes) {
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
