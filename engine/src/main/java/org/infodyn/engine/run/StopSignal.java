package org.infodyn.engine.run;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request to stop, from outside the run loop (Ctrl-C, SIGTERM, a program embedding the engine).
 * The run loop checks it between steps and while it waits for probe fits; a run that sees it ends
 * as {@link RunStatus#INTERRUPTED} with the measurements written so far, its files keeping their
 * {@code .partial} names, and a sweep starts no further runs (a resumed sweep redoes the
 * interrupted ones). Thread-safe; once requested it stays requested.
 */
public final class StopSignal {
    private final AtomicReference<String> reason = new AtomicReference<>();

    /** Asks every run and sweep watching this signal to stop; the first reason given is kept. */
    public void request(String why) {
        reason.compareAndSet(null, why);
    }

    /** Whether a stop was requested. */
    public boolean isRequested() {
        return reason.get() != null;
    }

    /** Why, once requested (e.g. "SIGTERM"). */
    public Optional<String> reason() {
        return Optional.ofNullable(reason.get());
    }
}
