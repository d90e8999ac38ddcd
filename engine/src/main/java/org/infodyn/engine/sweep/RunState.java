package org.infodyn.engine.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.output.MetricsCsv;
import org.infodyn.engine.output.RunDirectory;

/**
 * What a resumed sweep finds in a run's directory: a finished run to keep, or a reason to redo it.
 *
 * @param finished the run ended (completed or diverged) and its files read back whole
 * @param status the manifest's status, or empty
 * @param reason why it must be redone (empty when finished)
 */
public record RunState(boolean finished, String status, String reason) {

    /** Inspects {@code runDir}. */
    public static RunState of(Path runDir) {
        Path manifest = runDir.resolve(RunDirectory.MANIFEST);
        if (!Files.isDirectory(runDir)) {
            return new RunState(false, "", "not started");
        }
        if (!Files.exists(manifest)) {
            return new RunState(false, "", "it has no manifest.json");
        }
        String status;
        try {
            Map<String, Object> m = Json.readObject(manifest);
            status = String.valueOf(m.get("status"));
        } catch (IOException | RuntimeException e) {
            return new RunState(false, "", "its manifest.json is unreadable (" + e.getMessage() + ")");
        }
        if (!status.equals("completed") && !status.equals("diverged")) {
            return new RunState(false, status, status.equals("running") ? "it was interrupted (status running)" : "its status is " + status);
        }
        try {
            MetricsCsv.read(runDir.resolve(MetricsCsv.FILE));
        } catch (IOException | RuntimeException e) {
            return new RunState(false, status, "its metrics.csv is missing or corrupt (" + e.getMessage() + ")");
        }
        return new RunState(true, status, "");
    }

    /**
     * Refuses to redo a run whose path holds something infodyn did not write there: a plain file,
     * or a folder with files other than a run's own. Such a path is the user's, so it is never
     * deleted.
     *
     * @throws ConfigException naming the path and what is in the way
     */
    public void checkRedoable(Path runDir) throws IOException {
        if (!Files.exists(runDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(runDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigException(runDir + " should be a run directory but is a file; move it away and resume again"
                    + " (nothing was deleted)");
        }
        try (Stream<Path> s = Files.walk(runDir)) {
            for (Path p : s.skip(1).toList()) {
                if (!RunDirectory.isOwnFile(runDir, p)) {
                    throw new ConfigException("run directory " + runDir + " holds " + runDir.relativize(p)
                            + ", which infodyn did not write; move it away and resume again (nothing was deleted)");
                }
            }
        }
    }
}
