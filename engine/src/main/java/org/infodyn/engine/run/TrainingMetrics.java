package org.infodyn.engine.run;

import org.infodyn.api.backend.StepResult;

/** The training loss and accuracy since the previous probe point, weighted by batch size. */
final class TrainingMetrics {
    private double lossSum;
    private long correct;
    private long seen;

    void add(StepResult r) {
        lossSum += r.loss() * r.samples();
        correct += r.correct();
        seen += r.samples();
    }

    /** Whether any step was added since the last {@link #reset()}. */
    boolean any() {
        return seen > 0;
    }

    /** Mean loss per sample, nats. */
    double loss() {
        return lossSum / seen;
    }

    /** Fraction of correct predictions. */
    double accuracy() {
        return (double) correct / seen;
    }

    void reset() {
        lossSum = 0;
        correct = 0;
        seen = 0;
    }
}
