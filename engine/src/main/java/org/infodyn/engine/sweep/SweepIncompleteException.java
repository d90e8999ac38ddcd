package org.infodyn.engine.sweep;

/**
 * A sweep that could not run all its runs for a reason outside them (a cluster gave up on a task
 * after its retries): the runs received are in the sweep's directory, no aggregates were
 * written, and {@code --resume} continues it.
 */
public final class SweepIncompleteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SweepIncompleteException(String message) {
        super(message);
    }
}
