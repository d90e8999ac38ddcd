package org.infodyn.engine.summary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.engine.output.MetricRow;

/**
 * Peak, final value and drop of a usable-information curve, taken <em>per seed</em> and then
 * averaged. The peak of the mean curve understates a transient whose timing varies between seeds
 * (the seeds' peaks do not line up); the mean of the seeds' peaks does not. {@code drop} = peak −
 * final per seed: information that was encoded and then discarded (claim 1 of the paper is
 * {@code drop > 0}). The peak is the largest of the probed values, so with noisy decoders it is
 * biased upwards by about the decoder's noise; compare drops between conditions, not with zero
 * alone.
 *
 * @param condition condition id
 * @param probe probe label
 * @param layer layer
 * @param variable variable
 * @param peak the seeds' largest value
 * @param last the seeds' value at the last probed step
 * @param drop the seeds' peak − last
 * @param peakStep median over seeds of the step of the peak
 * @param peakEpoch median over seeds of the epoch of the peak
 */
public record Extremes(String condition, String probe, String layer, String variable, Estimate peak, Estimate last, Estimate drop,
        double peakStep, double peakEpoch) {

    /** The header of {@code extremes.csv}. */
    public static final String HEADER = "condition,probe,layer,variable,n,peak_mean,peak_ci_low,peak_ci_high,final_mean,final_ci_low,"
            + "final_ci_high,drop_mean,drop_ci_low,drop_ci_high,peak_step_median,peak_epoch_median";

    private record Key(String condition, String probe, String layer, String variable) {
    }

    /** One row per condition, probe, layer and variable with a {@code bits} curve, in the order they first appear. */
    public static List<Extremes> of(List<RunRecord> runs) {
        Map<Key, List<double[]>> perSeed = new LinkedHashMap<>(); // {peak, last, peakStep, peakEpoch}
        for (RunRecord run : runs) {
            Map<Key, List<MetricRow>> curves = new LinkedHashMap<>();
            for (MetricRow r : run.rows()) {
                if (r.metric().equals("bits")) {
                    curves.computeIfAbsent(new Key(run.condition(), r.probe(), r.layer(), r.variable()), k -> new ArrayList<>()).add(r);
                }
            }
            curves.forEach((k, rows) -> {
                rows.sort(Comparator.comparingLong(MetricRow::step));
                MetricRow peak = null;
                for (MetricRow r : rows) {
                    if (Double.isFinite(r.value()) && (peak == null || r.value() > peak.value())) {
                        peak = r;
                    }
                }
                // a diverged run's curve ends in NaN: its final value is unknown, so it counts nowhere
                double last = rows.get(rows.size() - 1).value();
                if (peak != null && Double.isFinite(last)) {
                    perSeed.computeIfAbsent(k, x -> new ArrayList<>()).add(new double[] {peak.value(), last, peak.step(), peak.epoch()});
                }
            });
        }
        List<Extremes> out = new ArrayList<>();
        perSeed.forEach((k, seeds) -> {
            double[] peak = seeds.stream().mapToDouble(s -> s[0]).toArray();
            double[] last = seeds.stream().mapToDouble(s -> s[1]).toArray();
            double[] drop = seeds.stream().mapToDouble(s -> s[0] - s[1]).toArray();
            out.add(new Extremes(k.condition(), k.probe(), k.layer(), k.variable(), Estimate.of(peak), Estimate.of(last), Estimate.of(drop),
                    median(seeds.stream().mapToDouble(s -> s[2]).toArray()), median(seeds.stream().mapToDouble(s -> s[3]).toArray())));
        });
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
