package org.infodyn.engine.run;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a run ended.
 *
 * @param runId the run id
 * @param directory the run directory
 * @param status completed, diverged or failed
 * @param reason for failed / diverged runs: why, one line; empty otherwise
 * @param divergedAtStep the step whose loss was not finite, for diverged runs
 * @param seconds wall-clock duration
 * @param failure the exception of a failed run
 */
public record RunResult(String runId, Path directory, RunStatus status, String reason, OptionalLong divergedAtStep,
        double seconds, Optional<Throwable> failure) {
}
