package org.infodyn.engine.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.infodyn.engine.output.RunDirectory;

/**
 * Runs a run's probe fits on worker threads while training goes on, and writes their rows in step
 * order. Each (probe, layer, variable) series measures its points strictly in order (so warm
 * starts are deterministic); different series run concurrently. Results never depend on thread
 * timing. At most {@value #MAX_PENDING} points wait for their fits before training pauses.
 */
final class ProbePipeline implements AutoCloseable {
    private static final int MAX_PENDING = 4;
    /** How often a wait for fits looks at the stop signal. */
    private static final long STOP_POLL_MILLIS = 50;
    /** CPU time of the probe threads, not wall time: the machine may be busy with other work. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final RunPlan plan;
    private final RunDirectory dir;
    private final MetricsCsv csv;
    private final RunListener listener;
    private final ExecutorService pool;
    private final StopSignal stop;
    private final Map<String, ProbeSeries> series = new HashMap<>();
    private final Map<String, CompletableFuture<?>> lastOfSeries = new HashMap<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final AtomicLong fitNanos = new AtomicLong();
    private final Map<String, String> convergenceMetrics = new HashMap<>(); // probe label → its metric
    private final Map<String, long[]> notConverged = new LinkedHashMap<>(); // label → {points, first step, of}
    private long waitNanos;

    private record Pending(long step, double epoch, List<MetricRow> trainRows, List<CompletableFuture<List<MetricRow>>> jobs) {
        boolean isDone() {
            return jobs.stream().allMatch(CompletableFuture::isDone);
        }
    }

    ProbePipeline(RunPlan plan, RunDirectory dir, MetricsCsv csv, RunListener listener, int threads, StopSignal stop) {
        this.plan = plan;
        this.stop = stop;
        plan.probes().forEach(p -> p.probe().convergenceMetric().ifPresent(m -> convergenceMetrics.put(p.label(), m)));
        this.dir = dir;
        this.csv = csv;
        this.listener = listener;
        AtomicInteger threadNo = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "infodyn-probe-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues the fits of one probe point; {@code trainRows} are written with its rows.
     *
     * @param rows makes a metrics row of (layer, variable, probe label, metric, value) at this point
     */
    void submit(ProbePoint point, double epoch, List<MetricRow> trainRows, RowMaker rows) throws IOException {
        List<ProbePoint.SeriesInput> inputs = point.series();
        List<CompletableFuture<List<MetricRow>>> jobs = new ArrayList<>(Collections.nCopies(inputs.size(), null));
        // the costliest fits start first, so that the point's last fit ends as early as it can;
        // rows are still written in the series' order
        for (int i : ProbePoint.byDescendingCost(inputs)) {
            ProbePoint.SeriesInput in = inputs.get(i);
            String key = in.key();
            ProbeSeries s = series.computeIfAbsent(key, k -> in.open(plan));
            CompletableFuture<?> previous = lastOfSeries.getOrDefault(key, CompletableFuture.completedFuture(null));
            CompletableFuture<List<MetricRow>> job = previous.thenApplyAsync(ignored -> {
                long t0 = CPU.getCurrentThreadCpuTime();
                List<Measurement> ms = s.measure(in.data());
                fitNanos.addAndGet(CPU.getCurrentThreadCpuTime() - t0);
                List<MetricRow> out = new ArrayList<>(ms.size());
                for (Measurement m : ms) {
                    out.add(rows.row(in.layer(), in.variable(), in.probe().label(), m.metric(), m.value()));
                }
                return out;
            }, pool);
            lastOfSeries.put(key, job);
            jobs.set(i, job);
        }
        pending.add(new Pending(point.step(), epoch, trainRows, jobs));
        drain(false);
    }

    /** Makes one metrics row at the current point. */
    @FunctionalInterface
    interface RowMaker {
        MetricRow row(String layer, String variable, String probe, String metric, double value);
    }

    /** Writes every point whose fits are done, in step order; with {@code all}, waits for every one. */
    void drain(boolean all) throws IOException {
        while (!pending.isEmpty()) {
            Pending head = pending.peek();
            if (!all && pending.size() <= MAX_PENDING && !head.isDone()) {
                return;
            }
            long t = System.nanoTime();
            List<MetricRow> rows = new ArrayList<>(head.trainRows);
            for (CompletableFuture<List<MetricRow>> job : head.jobs) {
                rows.addAll(await(job));
            }
            waitNanos += System.nanoTime() - t;
            pending.poll();
            countNotConverged(head.step, rows);
            csv.append(rows);
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("step", head.step);
            ev.put("epoch", head.epoch);
            ev.put("rows", rows.size());
            dir.event("probe-point", ev);
            listener.probePoint(head.step, head.epoch, rows);
        }
    }

    /** Counts the measurements whose probe says its estimator stopped at its budget. */
    private void countNotConverged(long step, List<MetricRow> rows) {
        for (MetricRow r : rows) {
            String metric = convergenceMetrics.get(r.probe());
            if (metric != null && metric.equals(r.metric())) {
                long[] c = notConverged.computeIfAbsent(r.probe(), k -> new long[] {0, -1, 0});
                c[2]++;
                if (r.value() == 0) {
                    c[0]++;
                    c[1] = c[1] < 0 ? step : c[1];
                }
            }
        }
    }

    /**
     * Per probe label with a convergence metric, the measurements that did not converge:
     * {@code {metric, not_converged, of, first_step}}; only labels with at least one.
     */
    Map<String, Map<String, Object>> notConverged() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        notConverged.forEach((label, c) -> {
            if (c[0] > 0) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("metric", convergenceMetrics.get(label));
                m.put("not_converged", c[0]);
                m.put("of", c[2]);
                m.put("first_step", c[1]);
                out.put(label, m);
            }
        });
        return out;
    }

    /** Waits for a fit, watching the stop signal: a long fit must not delay a requested stop. */
    private List<MetricRow> await(CompletableFuture<List<MetricRow>> job) {
        while (true) {
            if (stop.isRequested()) {
                throw new Stopped();
            }
            try {
                return job.get(STOP_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still fitting: look at the stop signal again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopped();
            } catch (ExecutionException e) {
                throw new CompletionException(e.getCause());
            }
        }
    }

    /** Thrown out of {@link #submit} and {@link #drain} when a stop was requested while they waited for fits. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stop requested", null, false, false);
        }
    }

    /** Forgets points not yet written (after a failure or a stop: their fits are abandoned and interrupted). */
    void abandon() {
        for (Pending p : pending) {
            p.jobs.forEach(j -> j.cancel(true));
        }
        pending.clear();
        pool.shutdownNow();
    }

    /** CPU time spent in fits, seconds. */
    double fitSeconds() {
        return fitNanos.get() / 1e9;
    }

    /** Time training waited for fits, seconds. */
    double waitSeconds() {
        return waitNanos / 1e9;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
