package org.infodyn.engine.experiment;

import java.util.Optional;

import org.infodyn.api.backend.SgdSettings;

/**
 * One training phase: a stretch of SGD with fixed settings. Phases run in order; the network,
 * and the step and epoch counters, carry over. Each phase starts a fresh epoch (a new batch
 * order) and a fresh momentum buffer, as a new {@code torch.optim.SGD} would.
 *
 * @param epochs length in epochs (may be fractional); exactly one of {@code epochs} and
 *     {@code steps} is present
 * @param steps length in SGD steps (updates)
 * @param sgd learning rate, momentum and weight decay
 * @param batch batch size, ≥ 1 (the last batch of an epoch may be smaller)
 * @param target the variable to train on; empty = the task's default target
 * @param freshHead re-initialise the output layer when the phase starts (a warm start)
 */
public record PhaseSpec(Optional<Double> epochs, Optional<Long> steps, SgdSettings sgd, int batch, Optional<String> target,
        boolean freshHead) {

    /** A plain-SGD phase of {@code epochs} epochs. */
    public static PhaseSpec ofEpochs(double epochs, double lr, int batch) {
        return new PhaseSpec(Optional.of(epochs), Optional.empty(), SgdSettings.plain(lr), batch, Optional.empty(), false);
    }
}
