package org.infodyn.report;

import static org.infodyn.report.SvgPlot.esc;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.infodyn.api.Infodyn;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.summary.Extremes;
import org.infodyn.engine.summary.RunRecord;
import org.infodyn.engine.summary.Runs;
import org.infodyn.engine.summary.SummaryRow;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no scripts, nothing fetched)
 * that opens with a double click: the curves per probe, layer and variable with 95 % bands, the
 * training curves, a table of per-seed peak, final and drop values, the runs with their status, and the
 * experiment and provenance.
 */
final class HtmlReport {
    private HtmlReport() {
    }

    static String render(Path dir, Runs runs, List<SummaryRow> rows, List<Extremes> extremes, Figures figures) {
        String name = runs.definition().isEmpty() ? dir.getFileName().toString() : String.valueOf(runs.definition().get("name"));
        StringBuilder h = new StringBuilder();
        header(h, name, runs);
        legend(h, runs, figures);
        panels(h, figures);
        extremes(h, runs, extremes);
        runTable(h, runs);
        provenance(h, runs);
        runs.problems().forEach(p -> h.append("<p class=\"bad\">").append(esc(p)).append("</p>\n"));
        h.append("</body></html>\n");
        return h.toString();
    }

    /** The document head with its style sheet, the title and the one-line overview. */
    private static void header(StringBuilder h, String name, Runs runs) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.append("<title>infodyn report: ").append(esc(name)).append("</title>\n<style>\n")
                .append("body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1240px}")
                .append("h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:30px;border-bottom:1px solid #ddd;padding-bottom:4px}")
                .append(".meta{color:#555;font-size:13px}.legend{display:flex;flex-wrap:wrap;gap:14px;margin:10px 0;font-size:13px}")
                .append(".sw{display:inline-block;width:26px;height:10px;margin-right:6px;vertical-align:middle;border-radius:2px}")
                .append(".grid{display:flex;flex-wrap:wrap;gap:8px}.grid svg{border:1px solid #eee}")
                .append("table{border-collapse:collapse;font-size:12px;margin-top:8px}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left}")
                .append("th{background:#f4f4f4}.bad{color:#b00020;font-weight:bold}pre{background:#f7f7f7;padding:10px;font-size:11px;overflow:auto}")
                .append(".note{font-size:13px;color:#444;max-width:900px}\n</style></head><body>\n");
        h.append("<h1>infodyn report: ").append(esc(name)).append("</h1>\n");
        Map<String, Integer> statuses = new TreeMap<>();
        runs.runs().forEach(r -> statuses.merge(r.status(), 1, Integer::sum));
        h.append("<div class=\"meta\">").append(runs.runs().size()).append(" runs (").append(esc(statuses.toString().replaceAll("[{}]", "")))
                .append("), ").append(runs.conditions().size()).append(" conditions · generated ").append(esc(Instant.now().toString()))
                .append(" by infodyn ").append(esc(Infodyn.version())).append("</div>\n");

    }

    /** One colour swatch per condition, with its number of seeds, and how to read the figures. */
    private static void legend(StringBuilder h, Runs runs, Figures figures) {
        Map<String, Integer> seedsPer = new LinkedHashMap<>();
        runs.runs().forEach(r -> seedsPer.merge(r.condition(), 1, Integer::sum));
        h.append("<div class=\"legend\">");
        runs.conditions().forEach((id, label) -> h.append("<span><span class=\"sw\" style=\"background:").append(figures.colors().get(id))
                .append("\"></span>").append(esc(label)).append(" (n = ").append(seedsPer.getOrDefault(id, 0)).append(")</span>"));
        h.append("</div>\n<p class=\"note\">Lines: mean over seeds. Shaded bands: 95% confidence interval of the mean, "
                + "mean ± t(0.975, n−1)·sd/√n, where n is the number of seeds (runs) of the condition with a finite value at that "
                + "step. Usable information I<sub>V</sub>(Z;Y) = CE<sub>null</sub> − CE<sub>decoder</sub> in bits on held-out data; "
                + "not clipped, so values below 0 mean the decoder over-fits. The x axis is the training step on a log scale "
                + "(step 0, before training, at the left edge).</p>\n");

    }

    /** The probes' panels, grouped by probe, one row per variable (or metric); then the training panels. */
    private static void panels(StringBuilder h, Figures figures) {
        Map<String, Map<String, List<Figures.Figure>>> byProbe = new LinkedHashMap<>();
        for (Figures.Figure f : figures.bits()) {
            // one row per variable (usable information) or per metric (probes without a variable)
            String row = f.metric().equals("bits") ? f.variable() : f.variable() + " " + f.metric();
            byProbe.computeIfAbsent(f.probe(), k -> new LinkedHashMap<>()).computeIfAbsent(row, k -> new ArrayList<>()).add(f);
        }
        byProbe.forEach((probe, byVar) -> {
            boolean bits = byVar.values().stream().flatMap(List::stream).anyMatch(f -> f.metric().equals("bits"));
            h.append(bits ? "<h2>Usable information: " : "<h2>Probe: ").append(esc(probe)).append("</h2>\n");
            byVar.forEach((variable, figs) -> {
                h.append("<div class=\"grid\">");
                figs.forEach(f -> h.append(f.svg()));
                h.append("</div>\n");
            });
        });
        if (!figures.training().isEmpty()) {
            h.append("<h2>Training</h2>\n<div class=\"grid\">");
            figures.training().forEach(f -> h.append(f.svg()));
            h.append("</div>\n");
        }

    }

    /** The sweep's definition (or a run's effective experiment), and the backends, machines and versions that ran it. */
    private static void provenance(StringBuilder h, Runs runs) {
        h.append("<h2>Experiment and provenance</h2>\n");
        if (!runs.definition().isEmpty()) {
            h.append("<details><summary>sweep definition (sweep.json)</summary><pre>").append(esc(Json.pretty(runs.definition())))
                    .append("</pre></details>\n");
        } else if (!runs.runs().isEmpty()) {
            h.append("<details><summary>effective experiment of ").append(esc(runs.runs().get(0).runId())).append("</summary><pre>")
                    .append(esc(Json.pretty(runs.runs().get(0).manifest().get("experiment")))).append("</pre></details>\n");
        }
        Set<String> provenance = new LinkedHashSet<>();
        for (RunRecord r : runs.runs()) {
            Object b = r.manifest().get("backend");
            Object env = r.manifest().get("environment");
            if (b instanceof Map<?, ?> bm) {
                provenance.add("backend " + bm.get("id") + ": " + bm.get("versions"));
            }
            if (env instanceof Map<?, ?> em) {
                provenance.add("machine: " + em.get("cpu_model") + ", " + em.get("cpus") + " CPUs, " + em.get("os") + ", Java "
                        + em.get("java_version"));
            }
            provenance.add("infodyn " + r.manifest().get("infodyn_version"));
        }
        h.append("<ul class=\"note\">");
        provenance.forEach(p -> h.append("<li>").append(esc(p)).append("</li>"));
        h.append("</ul>\n");
    }

    private static void extremes(StringBuilder h, Runs runs, List<Extremes> extremes) {
        if (extremes.isEmpty()) {
            return;
        }
        h.append("<h2>Peak, final and discarded usable information (bits)</h2>\n<p class=\"note\">Per seed: the peak is the largest "
                + "probed value, final the value at the last probed step, drop = peak − final (information encoded and then "
                + "discarded); then mean [95% CI] over seeds. The peak step is the median over seeds. Also in "
                + "<code>extremes.csv</code>.</p>\n<table><tr><th>condition</th><th>probe</th><th>layer</th><th>variable</th>"
                + "<th>peak</th><th>at step (epoch)</th><th>final</th><th>drop</th></tr>\n");
        for (Extremes e : extremes) {
            h.append("<tr><td>").append(esc(runs.conditions().getOrDefault(e.condition(), e.condition()))).append("</td><td>")
                    .append(esc(e.probe())).append("</td><td>").append(esc(e.layer())).append("</td><td>").append(esc(e.variable()))
                    .append("</td><td>").append(esc(e.peak().format())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.0f (%.2f)", e.peakStep(), e.peakEpoch())).append("</td><td>")
                    .append(esc(e.last().format())).append("</td><td>").append(esc(e.drop().format())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /**
     * The run's measurements whose estimator stopped at its budget (the manifest's
     * {@code not_converged}), per probe: e.g. {@code usable-information: 3 of 120}; flagged.
     */
    private static String notConverged(RunRecord r) {
        if (!(r.manifest().get("not_converged") instanceof Map<?, ?> nc) || nc.isEmpty()) {
            return "<td></td>";
        }
        StringBuilder s = new StringBuilder();
        nc.forEach((label, v) -> {
            if (v instanceof Map<?, ?> c) {
                s.append(s.length() == 0 ? "" : "; ").append(label).append(": ").append(c.get("not_converged")).append(" of ")
                        .append(c.get("of"));
            }
        });
        return "<td class=\"bad\" title=\"values measured by an estimator that stopped at its iteration budget are less certain\">"
                + esc(s.toString()) + "</td>";
    }

    private static void runTable(StringBuilder h, Runs runs) {
        h.append("<h2>Runs</h2>\n<table><tr><th>run</th><th>condition</th><th>seed</th><th>backend</th><th>status</th><th>seconds</th>"
                + "<th>estimates at their budget</th></tr>\n");
        for (RunRecord r : runs.runs()) {
            boolean bad = !r.status().equals("completed");
            Object timing = r.manifest().get("timing");
            Object secs = timing instanceof Map<?, ?> t ? t.get("wall_seconds") : null;
            h.append("<tr><td>").append(esc(r.runId())).append("</td><td>").append(esc(runs.conditions().getOrDefault(r.condition(), r.condition())))
                    .append("</td><td>").append(r.seed()).append("</td><td>").append(esc(r.backend())).append("</td><td")
                    .append(bad ? " class=\"bad\"" : "").append(">").append(esc(r.status()))
                    .append(r.reason().isEmpty() || r.reason().equals("null") ? "" : ": " + esc(r.reason())).append("</td><td>")
                    .append(secs instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue()) : "").append("</td>")
                    .append(notConverged(r)).append("</tr>\n");
        }
        h.append("</table>\n");
    }
}
