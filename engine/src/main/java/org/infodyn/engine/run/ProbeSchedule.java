package org.infodyn.engine.run;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.experiment.ScheduleSpec;

/** Turns a {@link ScheduleSpec} into the sorted global steps at which a run probes. */
public final class ProbeSchedule {
    private ProbeSchedule() {
    }

    /**
     * The probe steps: step 0, the explicit steps that fall within training, every interval
     * point of the rules, the end of every phase and the last step; sorted, no repeats.
     */
    public static List<Long> steps(ScheduleSpec spec, TrainingPlan plan) {
        checkSize(spec, plan);
        TreeSet<Long> out = new TreeSet<>();
        long total = plan.totalSteps();
        out.add(0L);
        for (long s : spec.steps()) {
            if (s <= total) {
                out.add(s);
            }
        }
        double totalEpochs = plan.totalEpochs();
        double from = 0;
        for (ScheduleSpec.Every rule : spec.every()) {
            double until = Math.min(rule.until().orElse(Double.POSITIVE_INFINITY), totalEpochs);
            for (long k = 1; ; k++) {
                double e = from + k * rule.epochs(); // k·interval, not repeated addition: no drift
                if (e > until + 1e-9) {
                    break;
                }
                out.add(plan.stepAtEpoch(e));
            }
            from = rule.until().orElse(Double.POSITIVE_INFINITY);
            if (from >= totalEpochs) {
                break;
            }
        }
        plan.phases().forEach(p -> out.add(p.endStep()));
        out.add(total);
        return List.copyOf(out);
    }

    /** The most probe points a run may have: each writes rows and fits decoders; a million would never finish. */
    public static final long MAX_POINTS = 100_000;

    /** Counts the interval points before making them, so that a schedule of billions is refused, not built. */
    private static void checkSize(ScheduleSpec spec, TrainingPlan plan) {
        double totalEpochs = plan.totalEpochs();
        double from = 0;
        double count = 0;
        for (ScheduleSpec.Every rule : spec.every()) {
            double until = Math.min(rule.until().orElse(Double.POSITIVE_INFINITY), totalEpochs);
            count += Math.max(0, Math.floor((until - from) / rule.epochs()));
            from = rule.until().orElse(Double.POSITIVE_INFINITY);
            if (from >= totalEpochs) {
                break;
            }
        }
        if (count > MAX_POINTS) {
            throw new ConfigException("schedule", String.format(Locale.ROOT, "the schedule's rules give %.3g probe points over %.4g epochs; "
                    + "a run may have at most %d: probe less often (schedule.every) or train for less", count, totalEpochs, MAX_POINTS));
        }
    }
}
