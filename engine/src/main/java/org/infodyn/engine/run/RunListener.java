package org.infodyn.engine.run;

import java.nio.file.Path;
import java.util.List;

import org.infodyn.engine.output.MetricRow;

/**
 * Follows a run as it goes (progress display, tests). Called on the run's thread; keep it quick.
 * Every method has an empty default.
 */
public interface RunListener {

    /** The run's directory exists and training is about to start. */
    default void started(RunPlan plan, Path runDir) {
    }

    /**
     * One SGD step is done.
     *
     * @param step the global step just completed (1-based)
     * @param totalSteps steps in the whole run
     * @param loss the step's loss (nats)
     */
    default void step(long step, long totalSteps, double loss) {
    }

    /** The measurements of one probe point were written (in step order). */
    default void probePoint(long step, double epoch, List<MetricRow> rows) {
    }

    /** The run ended, however it ended. */
    default void finished(RunResult result) {
    }

    /** A listener that does nothing. */
    RunListener NONE = new RunListener() {
    };
}
