package org.infodyn.engine.sweep;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.RunStatus;

/**
 * What a {@link ClusterTask} sends back to the driver: each run's outcome and every file of its
 * directory, or a problem of the worker's setup (a dataset folder it cannot read) that the user
 * must fix, which stops the sweep.
 *
 * @param worker the host (and executor) that ran it, for messages
 * @param runs each run, in the task's order; empty when {@code setupProblem} is present
 * @param problem one line: what the worker lacks, or null (Optional is not serializable)
 */
public record ClusterResult(String worker, List<RunFiles> runs, String problem) implements Serializable {
    private static final long serialVersionUID = 1L;

    public ClusterResult {
        runs = List.copyOf(runs);
    }

    /** The runs of a task, as the executor finished them. */
    static ClusterResult of(String worker, List<RunFiles> runs) {
        return new ClusterResult(worker, runs, null);
    }

    /** A task its executor could not run: the worker's setup lacks something. */
    static ClusterResult setupProblem(String worker, String problem) {
        return new ClusterResult(worker, List.of(), problem);
    }

    /** What the worker lacks, when it could not run the task. */
    public Optional<String> setupProblem() {
        return Optional.ofNullable(problem);
    }

    /**
     * One run as the executor finished it.
     *
     * @param runId the run id
     * @param status its {@link RunStatus#id()}
     * @param reason why it ended as it did (empty for completed runs)
     * @param stoppedAtStep the step a diverged or interrupted run stopped at, or -1
     * @param seconds its wall-clock time
     * @param failure for a failed run, the exception as text (class, message, stack)
     * @param warnings the run's warnings
     * @param files path inside the run directory ('/'-separated) → bytes; empty when it wrote nothing
     */
    public record RunFiles(String runId, String status, String reason, long stoppedAtStep, double seconds, String failure,
            List<String> warnings, Map<String, byte[]> files) implements Serializable {
        private static final long serialVersionUID = 1L;

        public RunFiles {
            warnings = List.copyOf(warnings);
            files = new TreeMap<>(files);
        }

        /** Reads a finished run directory. */
        static RunFiles of(RunResult r) throws IOException {
            Map<String, byte[]> files = new TreeMap<>();
            if (Files.isDirectory(r.directory())) {
                try (Stream<Path> s = Files.walk(r.directory())) {
                    for (Path p : s.filter(Files::isRegularFile).toList()) {
                        files.put(r.directory().relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                    }
                }
            }
            String failure = r.failure().map(ClusterResult::describe).orElse("");
            return new RunFiles(r.runId(), r.status().id(), r.reason(), r.stoppedAtStep().orElse(-1), r.seconds(), failure,
                    r.warnings(), files);
        }

        /** The result as the driver reports it, for the run directory {@code dir}. */
        RunResult toResult(Path dir, String worker) {
            Optional<Throwable> f = failure.isEmpty() ? Optional.empty()
                    : Optional.of(new RemoteFailure("on " + worker + ": " + failure));
            return new RunResult(runId, dir, RunStatus.of(status), reason,
                    stoppedAtStep < 0 ? OptionalLong.empty() : OptionalLong.of(stoppedAtStep), seconds, f, warnings);
        }

        /**
         * Writes the files into {@code runs/<run-id>} all at once: they go to a fresh folder
         * beside {@code runs} first, which is then renamed, so a crash of the driver leaves either
         * the whole run or none of it.
         *
         * @param incoming the sweep's folder for directories being received (same filesystem)
         */
        void install(Path runs, Path incoming) throws IOException {
            if (files.isEmpty()) {
                return;
            }
            Files.createDirectories(incoming);
            Path tmp = Files.createTempDirectory(incoming, runId + ".");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path target = tmp.resolve(e.getKey()).normalize();
                if (!target.startsWith(tmp)) {
                    throw new IOException("run " + runId + " sent a file outside its directory: " + e.getKey());
                }
                Files.createDirectories(target.getParent());
                Files.write(target, e.getValue());
            }
            Files.move(tmp, runs.resolve(runId), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** A failure that happened in another process; its text carries the remote stack. */
    static final class RemoteFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RemoteFailure(String text) {
            super(text, null, false, false);
        }
    }

    /** An exception as one text: what printStackTrace would print. */
    static String describe(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString().strip();
    }
}
