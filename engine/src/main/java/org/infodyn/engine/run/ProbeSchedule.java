package org.infodyn.engine.run;

import java.util.List;
import java.util.TreeSet;

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
}
