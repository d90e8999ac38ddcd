package org.infodyn.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.Runner;

/**
 * The table printed after a run: per probe, layer, variable and headline metric (each probe
 * declares its own: {@code bits} for usable information), the value at the first probe point, at
 * its peak (and when) and at the end.
 */
final class Summary {
    private Summary() {
    }

    static void print(PrintWriter out, RunResult r, List<MetricRow> rows) {
        out.printf("%nrun %s: %s in %.1f s%s%n", r.runId(), r.status().id(), r.seconds(),
                r.reason().isEmpty() ? "" : " (" + r.reason() + ")");
        lastTrain(rows, "accuracy").ifPresent(a -> {
            String held = lastTrain(rows, "heldout_accuracy").map(h -> String.format(", held-out %.3f", h.value())).orElse("");
            out.printf("final accuracy on '%s': train %.3f%s (step %d, epoch %.2f)%n", a.variable(), a.value(), held, a.step(), a.epoch());
        });
        Map<String, List<MetricRow>> series = new LinkedHashMap<>();
        for (MetricRow row : rows) {
            if (!row.probe().equals(Runner.TRAIN_PROBE)) {
                String metric = row.metric().equals("bits") ? "" : "\u0000" + row.metric();
                series.computeIfAbsent(row.probe() + "\u0000" + row.layer() + "\u0000" + row.variable() + metric, k -> new ArrayList<>())
                        .add(row);
            }
        }
        if (series.isEmpty()) {
            out.flush();
            return;
        }
        int w = 8;
        for (String k : series.keySet()) {
            w = Math.max(w, k.replace('\u0000', ' ').length());
        }
        out.printf("%nheadline measurements (held-out; usable information in bits, other metrics named)%n");
        out.printf("%-" + w + "s  %7s  %7s %-22s %7s%n", "probe layer variable [metric]", "start", "peak", "(at step, epoch)", "end");
        for (Map.Entry<String, List<MetricRow>> e : series.entrySet()) {
            List<MetricRow> s = e.getValue();
            MetricRow first = s.get(0);
            MetricRow last = s.get(s.size() - 1);
            MetricRow peak = first;
            for (MetricRow row : s) {
                if (Double.isFinite(row.value()) && (!Double.isFinite(peak.value()) || row.value() > peak.value())) {
                    peak = row;
                }
            }
            out.printf("%-" + w + "s  %7s  %7s %-22s %7s%n", e.getKey().replace('\u0000', ' '), bits(first.value()), bits(peak.value()),
                    String.format("(%d, %.2f)", peak.step(), peak.epoch()), bits(last.value()));
        }
        out.printf("files: %s%n", r.directory());
        out.flush();
    }

    private static String bits(double v) {
        return Double.isFinite(v) ? String.format("%.3f", v) : "n/a";
    }

    private static Optional<MetricRow> lastTrain(List<MetricRow> rows, String metric) {
        MetricRow found = null;
        for (MetricRow r : rows) {
            if (r.probe().equals("train") && r.metric().equals(metric)) {
                found = r;
            }
        }
        return Optional.ofNullable(found);
    }
}
