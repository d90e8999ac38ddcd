package org.infodyn.engine.experiment;

import java.util.List;
import java.util.Optional;

/**
 * When to probe. Explicit {@code steps}, plus interval rules in (cumulative, fractional) epochs:
 * rule i probes every {@code epochs} from where the previous rule ended (its {@code until}, or
 * epoch 0) up to its own {@code until} (or the end of training). Step 0 (before training) and
 * the last step are always probed, and so is the last step of every phase. A field left out
 * keeps its default; write {@code every: []} or {@code steps: []} to turn one off.
 *
 * <p>The default is dense early and sparse late, because the interesting transients are short:
 * steps 0, 10, 30, 100; every ¼ epoch to epoch 4; every epoch to 30; every 5 epochs after.
 *
 * @param steps explicit global steps
 * @param every interval rules, in order
 */
public record ScheduleSpec(List<Long> steps, List<Every> every) {
    public ScheduleSpec {
        steps = List.copyOf(steps);
        every = List.copyOf(every);
    }

    /**
     * One interval rule.
     *
     * @param until the rule ends at this cumulative epoch (inclusive); empty = end of training
     * @param epochs the interval, &gt; 0
     */
    public record Every(Optional<Double> until, double epochs) {
    }

    /** The default schedule (see the class comment). */
    public static ScheduleSpec defaults() {
        return new ScheduleSpec(List.of(0L, 10L, 30L, 100L), List.of(
                new Every(Optional.of(4.0), 0.25),
                new Every(Optional.of(30.0), 1.0),
                new Every(Optional.empty(), 5.0)));
    }
}
