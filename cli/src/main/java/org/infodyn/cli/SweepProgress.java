package org.infodyn.cli;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.RunStatus;

/**
 * A sweep's progress on stderr: runs done of total, the runs in progress, an ETA. On a terminal
 * one line redrawn twice a second; otherwise a plain line whenever a run ends and every 30 s.
 */
public final class SweepProgress implements AutoCloseable {
    private final PrintWriter err;
    private final boolean tty;
    private final boolean quiet;
    private final int total;
    private final int parallel;
    private final long start = System.nanoTime();
    private final Set<String> running = new LinkedHashSet<>();
    private final ScheduledExecutorService ticker;
    private int done;
    private int diverged;
    private int failed;
    private double runSecondsSum;

    /**
     * @param total runs to execute in this invocation (not counting runs kept by --resume)
     * @param parallel worker count, for the ETA
     */
    public SweepProgress(PrintWriter err, boolean tty, boolean quiet, int total, int parallel) {
        this.err = err;
        this.tty = tty;
        this.quiet = quiet;
        this.total = total;
        this.parallel = parallel;
        this.ticker = quiet ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "infodyn-sweep-progress");
            t.setDaemon(true);
            return t;
        });
        if (ticker != null) {
            ticker.scheduleAtFixedRate(this::tick, tty ? 500 : 30_000, tty ? 500 : 30_000, TimeUnit.MILLISECONDS);
        }
    }

    /** A run started. */
    public synchronized void started(String runId) {
        running.add(runId);
    }

    /** A run ended. */
    public synchronized void finished(RunResult r) {
        running.remove(r.runId());
        done++;
        runSecondsSum += r.seconds();
        if (r.status() == RunStatus.DIVERGED) {
            diverged++;
        } else if (r.status() == RunStatus.FAILED) {
            failed++;
        }
        if (!quiet) {
            clearLine();
            err.printf("[%d/%d] %s %s in %.1f s%s%n", done, total, r.runId(), r.status().id(), r.seconds(),
                    r.reason().isEmpty() ? "" : ": " + r.reason());
            r.warnings().forEach(w -> err.printf("        note: %s%n", w));
            err.flush();
        }
    }

    private synchronized void tick() {
        String line = String.format("runs %d/%d done%s%s, running: %s, elapsed %s, eta %s", done, total,
                diverged > 0 ? ", " + diverged + " diverged" : "", failed > 0 ? ", " + failed + " failed" : "",
                running.isEmpty() ? "-" : String.join(" ", running), clock(elapsed()), clock(eta()));
        if (tty) {
            err.print("\r\033[2K" + line);
        } else {
            err.println(line);
        }
        err.flush();
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    private double eta() {
        if (done == 0) {
            return 0;
        }
        double perRun = runSecondsSum / done;
        return perRun * (total - done) / Math.max(1, Math.min(parallel, total - done));
    }

    private void clearLine() {
        if (tty) {
            err.print("\r\033[2K");
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        clearLine();
        err.flush();
    }
}
