package org.infodyn.engine.run;

import java.util.Locale;

/** The status recorded in a run's manifest. */
public enum RunStatus {
    /** Still going (or the process died: then the manifest keeps this status). */
    RUNNING,
    /** Trained and probed as planned. */
    COMPLETED,
    /** The training loss became NaN or infinite; the step is recorded, measurements up to it are kept. */
    DIVERGED,
    /** An error stopped the run; the reason is recorded. */
    FAILED,
    /** Stopped on request (Ctrl-C, SIGTERM); the step is recorded, measurements up to it are kept. */
    INTERRUPTED;

    /** The lower-case name written in manifests. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a manifest's {@link #id()}. */
    public static RunStatus of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
