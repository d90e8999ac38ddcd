package org.infodyn.engine.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a run ended.
 *
 * @param runId the run id
 * @param directory the run directory
 * @param status completed, diverged, failed or interrupted
 * @param reason for failed, diverged and interrupted runs: why, one line; empty otherwise
 * @param stoppedAtStep for diverged runs the step whose loss broke the bound; for interrupted
 *     runs the last step trained
 * @param seconds wall-clock duration
 * @param failure the exception of a failed run
 * @param warnings what the user should know about the measurements, one line each (e.g. fits
 *     that stopped at their iteration budget); also in the manifest
 */
public record RunResult(String runId, Path directory, RunStatus status, String reason, OptionalLong stoppedAtStep,
        double seconds, Optional<Throwable> failure, List<String> warnings) {
    public RunResult {
        warnings = List.copyOf(warnings);
    }
}
