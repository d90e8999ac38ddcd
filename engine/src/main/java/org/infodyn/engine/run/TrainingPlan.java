package org.infodyn.engine.run;

import java.util.ArrayList;
import java.util.List;

import org.infodyn.engine.experiment.PhaseSpec;

/**
 * The step arithmetic of a run: how many SGD steps each phase takes and how global steps map to
 * (cumulative, fractional) epochs. An epoch is one pass over the train split; its last batch may
 * be smaller, so a phase with batch B over n samples has ⌈n / B⌉ steps per epoch. A phase given
 * in epochs takes {@code round(epochs · stepsPerEpoch)} steps.
 */
public final class TrainingPlan {
    private final List<Phase> phases;
    private final long totalSteps;

    /**
     * One phase's place in the run.
     *
     * @param index 0-based
     * @param spec the phase as configured
     * @param stepsPerEpoch ⌈n / batch⌉
     * @param steps SGD steps in this phase
     * @param startStep global step before the phase's first update
     * @param startEpoch cumulative epochs completed before the phase
     */
    public record Phase(int index, PhaseSpec spec, int stepsPerEpoch, long steps, long startStep, double startEpoch) {
        /** Global step after the phase's last update. */
        public long endStep() {
            return startStep + steps;
        }

        /** Cumulative epochs completed after the phase. */
        public double endEpoch() {
            return startEpoch + (double) steps / stepsPerEpoch;
        }
    }

    /**
     * @param phases the configured phases, in order
     * @param trainSize samples in the train split
     */
    public TrainingPlan(List<PhaseSpec> phases, int trainSize) {
        List<Phase> out = new ArrayList<>();
        long step = 0;
        double epoch = 0;
        for (int i = 0; i < phases.size(); i++) {
            PhaseSpec p = phases.get(i);
            int spe = (int) ((trainSize + (long) p.batch() - 1) / p.batch());
            long steps = p.steps().orElseGet(() -> Math.round(p.epochs().orElseThrow() * spe));
            Phase phase = new Phase(i, p, spe, steps, step, epoch);
            out.add(phase);
            step = phase.endStep();
            epoch = phase.endEpoch();
        }
        this.phases = List.copyOf(out);
        this.totalSteps = step;
    }

    /** The phases in order. */
    public List<Phase> phases() {
        return phases;
    }

    /** SGD steps in the whole run. */
    public long totalSteps() {
        return totalSteps;
    }

    /** Cumulative epochs of the whole run. */
    public double totalEpochs() {
        return phases.isEmpty() ? 0 : phases.get(phases.size() - 1).endEpoch();
    }

    /** The phase in which global step {@code s} was taken (step 0, before training, belongs to phase 0). */
    public Phase phaseOf(long s) {
        for (Phase p : phases) {
            if (s <= p.endStep() && (s > p.startStep() || p.index() == 0)) {
                return p;
            }
        }
        return phases.get(phases.size() - 1);
    }

    /** Cumulative epochs completed after global step {@code s}. */
    public double epochAt(long s) {
        Phase p = phaseOf(s);
        return p.startEpoch() + (double) (s - p.startStep()) / p.stepsPerEpoch();
    }

    /** The global step at which cumulative epoch {@code e} is reached (rounded to the nearest step). */
    public long stepAtEpoch(double e) {
        for (Phase p : phases) {
            if (e <= p.endEpoch() + 1e-9 && p.steps() > 0) {
                long s = p.startStep() + Math.round((e - p.startEpoch()) * p.stepsPerEpoch());
                return Math.max(p.startStep(), Math.min(p.endStep(), s));
            }
        }
        return totalSteps;
    }
}
