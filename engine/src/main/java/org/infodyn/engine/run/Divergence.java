package org.infodyn.engine.run;

import java.util.Locale;
import java.util.Optional;

/**
 * When a run has diverged (DESIGN §7): a step's loss is not finite, or exceeds {@code factor}
 * times the loss of the run's first step (the untrained network's, about ln K). A finite but
 * enormous loss is divergence as users mean it: lr 1000 on the main job reaches 45,000 nats and
 * would otherwise count as a completed run.
 */
final class Divergence {
    private final double factor;
    private double firstLoss = Double.NaN;

    /** @param factor the multiple of the first step's loss that counts as diverged; 0 = only non-finite losses */
    Divergence(double factor) {
        this.factor = factor;
    }

    /**
     * Checks one step's loss (steps in order).
     *
     * @return why the run diverged at this step, if it did
     */
    Optional<String> check(long step, double loss) {
        if (!Double.isFinite(loss)) {
            return Optional.of("training loss became " + loss + " at step " + step);
        }
        if (Double.isNaN(firstLoss)) {
            firstLoss = loss;
            return Optional.empty();
        }
        if (factor > 0 && loss > factor * firstLoss) {
            return Optional.of(String.format(Locale.ROOT, "training loss %.6g at step %d exceeded %s × the first step's loss (%.4g); "
                    + "the bound is train.divergence", loss, step, trim(factor), firstLoss));
        }
        return Optional.empty();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
