package org.infodyn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.run.RunListener;
import org.infodyn.engine.run.RunPlan;
import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.TrainingPlan;

/**
 * Shows a run's progress on stderr: on a terminal one line redrawn in place (step, loss, probe
 * points, ETA); otherwise a plain line every few seconds, so logs stay readable. Also keeps the
 * rows the summary table needs: the training metrics and each probe's headline metrics.
 */
class Progress implements RunListener {
    private static final long TTY_INTERVAL_NANOS = 200_000_000L;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final boolean quiet;
    private final boolean tty;
    private final String prefix;
    private final List<MetricRow> rows = new ArrayList<>();
    /** Per probe label, the metrics its probe declares as headline (kept for the summary). */
    private final Map<String, Set<String>> headlines = new HashMap<>();
    private long start;
    private long lastPrint;
    private int probePoints;
    private int probePointsTotal;
    private TrainingPlan training;
    private final BiConsumer<RunResult, List<MetricRow>> onFinished;
    private boolean drew;

    /**
     * @param quiet no progress lines (the rows are kept all the same)
     * @param prefix what each progress line starts with, e.g. {@code [2/5 seed 1] }
     * @param onFinished called when the run has ended and its line is cleared, with the rows kept
     *     for the summary (every {@code bits} value and the training metrics)
     */
    Progress(PrintWriter err, boolean quiet, boolean tty, String prefix, BiConsumer<RunResult, List<MetricRow>> onFinished) {
        this.err = err;
        this.onFinished = onFinished;
        this.quiet = quiet;
        this.tty = tty;
        this.prefix = prefix;
    }

    @Override
    public void started(RunPlan plan, Path runDir) {
        start = System.nanoTime();
        lastPrint = start;
        probePointsTotal = plan.probeSteps().size();
        training = plan.training();
        plan.probes().forEach(p -> headlines.put(p.label(), Set.copyOf(p.probe().headlineMetrics())));
        if (!quiet && !tty) {
            err.println(prefix + "started: " + plan.training().totalSteps() + " steps, " + probePointsTotal
                    + " probe points, writing " + runDir);
            err.flush();
        }
    }

    @Override
    public void step(long step, long totalSteps, double loss) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPrint < (tty ? TTY_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)) {
            return;
        }
        lastPrint = now;
        double fraction = (double) step / Math.max(1, totalSteps);
        double elapsed = (now - start) / 1e9;
        double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
        String line = String.format("%sstep %d/%d (%3.0f%%)  epoch %.2f  loss %.4f  probe points %d/%d  elapsed %s  eta %s",
                prefix, step, totalSteps, 100 * fraction, training.epochAt(step), loss, probePoints, probePointsTotal, clock(elapsed), clock(eta));
        if (tty) {
            err.print("\r\033[2K" + line);
            drew = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    @Override
    public void probePoint(long step, double epoch, List<MetricRow> pointRows) {
        probePoints++;
        for (MetricRow r : pointRows) {
            if (r.probe().equals("train") || headlines.getOrDefault(r.probe(), Set.of()).contains(r.metric())) {
                rows.add(r);
            }
        }
    }

    @Override
    public void finished(RunResult result) {
        if (!quiet && tty && drew) {
            err.print("\r\033[2K");
            err.flush();
        }
        onFinished.accept(result, rows);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
