package org.infodyn.engine.summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.engine.output.MetricRow;

/**
 * Aggregates runs over seeds: per condition, probe, layer, variable, metric and step, the mean,
 * sample standard deviation, n and a 95 % confidence interval of the mean,
 * {@code mean ± t(0.975, n−1) · sd / √n}. Non-finite values (a diverged run's last points) are
 * left out and n says how many seeds remain.
 */
public final class Aggregator {
    private Aggregator() {
    }

    private record Key(String condition, String probe, String layer, String variable, String metric, long step) {
    }

    /** Aggregated rows, in the order their groups first appear. */
    public static List<SummaryRow> aggregate(List<RunRecord> runs) {
        Map<Key, List<double[]>> groups = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            for (MetricRow r : run.rows()) {
                Key k = new Key(run.condition(), r.probe(), r.layer(), r.variable(), r.metric(), r.step());
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(new double[] {r.value(), r.epoch()});
            }
        }
        List<SummaryRow> out = new ArrayList<>(groups.size());
        groups.forEach((k, values) -> out.add(summarize(k, values)));
        return out;
    }

    private static SummaryRow summarize(Key k, List<double[]> values) {
        double epoch = 0;
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i)[0];
            epoch += values.get(i)[1];
        }
        Estimate e = Estimate.of(v);
        return new SummaryRow(k.condition(), k.probe(), k.layer(), k.variable(), k.metric(), k.step(), epoch / v.length, e.n(),
                e.mean(), e.sd(), e.ciLow(), e.ciHigh());
    }
}
