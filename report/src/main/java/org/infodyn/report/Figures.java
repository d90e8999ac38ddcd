package org.infodyn.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.summary.RunRecord;
import org.infodyn.engine.summary.Runs;
import org.infodyn.engine.summary.SummaryRow;

/**
 * The report's figures: one panel per probe, layer and variable for {@code bits}; for a probe
 * that reports no bits, one per layer, variable and headline metric (as its manifest lists them,
 * {@code probe_headlines}); and the training panels. Each series is a condition (mean line, 95 %
 * band; in the probe panels also one thin line per seed).
 *
 * @param bits panels of probes (usable information first, in report order)
 * @param training panels of training metrics
 * @param colors condition id → colour
 */
public record Figures(List<Figure> bits, List<Figure> training, Map<String, String> colors) {

    /**
     * One panel.
     *
     * @param probe probe label
     * @param layer layer
     * @param variable variable (empty for a probe that measures none)
     * @param metric the metric drawn
     * @param file file name under {@code figures/}
     * @param svg the SVG
     */
    public record Figure(String probe, String layer, String variable, String metric, String file, String svg) {
    }

    /** All panels. */
    public List<Figure> all() {
        List<Figure> out = new ArrayList<>(bits);
        out.addAll(training);
        return out;
    }

    /** Builds the panels from the summary. */
    public static Figures of(Runs runs, List<SummaryRow> rows) {
        Map<String, String> colors = new LinkedHashMap<>();
        int i = 0;
        for (String c : runs.conditions().keySet()) {
            colors.put(c, SvgPlot.PALETTE.get(i++ % SvgPlot.PALETTE.size()));
        }
        Map<String, List<String>> headlines = headlines(runs);
        // runs made before manifests listed headlines: bits where a probe writes them, else its first metric
        for (SummaryRow r : rows) {
            if (!r.probe().equals("train") && !headlines.containsKey(r.probe())) {
                boolean bits = rows.stream().anyMatch(x -> x.probe().equals(r.probe()) && x.metric().equals("bits"));
                headlines.put(r.probe(), List.of(bits ? "bits" : r.metric()));
            }
        }
        Set<List<String>> panels = new LinkedHashSet<>();
        for (SummaryRow r : rows) {
            List<String> wanted = headlines.getOrDefault(r.probe(), List.of());
            if (r.metric().equals("bits") || !wanted.contains("bits") && wanted.contains(r.metric())) {
                panels.add(List.of(r.probe(), r.layer(), r.variable(), r.metric()));
            }
        }
        List<Figure> bits = new ArrayList<>();
        for (List<String> p : panels) {
            boolean isBits = p.get(3).equals("bits");
            String what = isBits ? p.get(2) : (p.get(2).isEmpty() ? "" : p.get(2) + " · ") + p.get(3);
            String title = p.get(1) + " · " + what + (p.get(0).equals("usable-information") ? "" : " (" + p.get(0) + ")");
            String axis = isBits ? "usable information (bits)" : p.get(3);
            String svg = SvgPlot.render(title, axis, series(runs, rows, colors, p.get(0), p.get(1), p.get(2), p.get(3), true), isBits ? 0 : Double.NaN);
            String name = isBits ? p.get(0) + "_" + p.get(1) + "_" + p.get(2) : p.get(0) + "_" + p.get(1) + "_" + (p.get(2).isEmpty() ? "" : p.get(2) + "_") + p.get(3);
            bits.add(new Figure(p.get(0), p.get(1), p.get(2), p.get(3), safe(name) + ".svg", svg));
        }
        List<Figure> training = new ArrayList<>();
        for (String metric : List.of("heldout_accuracy", "loss")) {
            List<SvgPlot.Series> s = new ArrayList<>();
            for (SummaryRow r : rows) {
                if (r.probe().equals("train") && r.metric().equals(metric)) {
                    s = series(runs, rows, colors, "train", r.layer(), null, metric, false);
                    break;
                }
            }
            if (!s.isEmpty()) {
                String title = metric.equals("loss") ? "training loss" : "held-out accuracy";
                training.add(new Figure("train", "output", "", metric, "train_" + metric + ".svg",
                        SvgPlot.render(title, Report.TRAINING.get(metric), s, metric.equals("loss") ? 0 : Double.NaN)));
            }
        }
        return new Figures(bits, training, colors);
    }

    /** Per probe label, its headline metrics as the runs' manifests list them (older runs list none: bits only). */
    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> headlines(Runs runs) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (RunRecord run : runs.runs()) {
            Object h = run.manifest().get("probe_headlines");
            if (h instanceof Map<?, ?> m) {
                m.forEach((label, metrics) -> {
                    if (metrics instanceof List<?> l) {
                        out.putIfAbsent(String.valueOf(label), l.stream().map(String::valueOf).toList());
                    }
                });
            }
        }
        return out;
    }

    /** One series per condition; {@code variable} null means any (the training target may change between phases). */
    private static List<SvgPlot.Series> series(Runs runs, List<SummaryRow> rows, Map<String, String> colors, String probe, String layer,
            String variable, String metric, boolean withTraces) {
        List<SvgPlot.Series> out = new ArrayList<>();
        for (String c : runs.conditions().keySet()) {
            List<SummaryRow> pts = new ArrayList<>();
            for (SummaryRow r : rows) {
                if (r.condition().equals(c) && r.probe().equals(probe) && r.layer().equals(layer) && r.metric().equals(metric)
                        && (variable == null || r.variable().equals(variable))) {
                    pts.add(r);
                }
            }
            if (pts.isEmpty()) {
                continue;
            }
            pts.sort((a, b) -> Long.compare(a.step(), b.step()));
            int n = pts.size();
            long[] steps = new long[n];
            double[] mean = new double[n];
            double[] lo = new double[n];
            double[] hi = new double[n];
            for (int i = 0; i < n; i++) {
                steps[i] = pts.get(i).step();
                mean[i] = pts.get(i).mean();
                lo[i] = pts.get(i).ciLow();
                hi[i] = pts.get(i).ciHigh();
            }
            out.add(new SvgPlot.Series(runs.conditions().get(c), colors.get(c), steps, mean, lo, hi,
                    withTraces ? traces(runs, c, probe, layer, variable, metric) : List.of()));
        }
        return out;
    }

    /** The condition's runs' own curves (only drawn when there are at least two: one run is its own mean). */
    private static List<SvgPlot.Trace> traces(Runs runs, String condition, String probe, String layer, String variable, String metric) {
        List<SvgPlot.Trace> out = new ArrayList<>();
        for (RunRecord run : runs.runs()) {
            if (!run.condition().equals(condition)) {
                continue;
            }
            List<MetricRow> pts = new ArrayList<>();
            for (MetricRow r : run.rows()) {
                if (r.probe().equals(probe) && r.layer().equals(layer) && r.metric().equals(metric) && r.variable().equals(variable)) {
                    pts.add(r);
                }
            }
            if (!pts.isEmpty()) {
                pts.sort((a, b) -> Long.compare(a.step(), b.step()));
                out.add(new SvgPlot.Trace("seed " + run.seed(), pts.stream().mapToLong(MetricRow::step).toArray(),
                        pts.stream().mapToDouble(MetricRow::value).toArray()));
            }
        }
        return out.size() >= 2 ? out : List.of();
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]+", "-");
    }
}
