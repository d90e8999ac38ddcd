package org.infodyn.engine.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    /** CPU time of the probe threads, not wall time: the machine may be busy with other work. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final RunPlan plan;
    private final RunDirectory dir;
    private final MetricsCsv csv;
    private final RunListener listener;
    private final ExecutorService pool;
    private final Map<String, ProbeSeries> series = new HashMap<>();
    private final Map<String, CompletableFuture<?>> lastOfSeries = new HashMap<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final AtomicLong fitNanos = new AtomicLong();
    private long waitNanos;

    private record Pending(long step, double epoch, List<MetricRow> trainRows, List<CompletableFuture<List<MetricRow>>> jobs) {
        boolean isDone() {
            return jobs.stream().allMatch(CompletableFuture::isDone);
        }
    }

    ProbePipeline(RunPlan plan, RunDirectory dir, MetricsCsv csv, RunListener listener, int threads) {
        this.plan = plan;
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
        List<CompletableFuture<List<MetricRow>>> jobs = new ArrayList<>();
        for (ProbePoint.SeriesInput in : point.series()) {
            String key = in.key();
            ProbeSeries s = series.computeIfAbsent(key, k -> in.open(plan));
            CompletableFuture<?> previous = lastOfSeries.getOrDefault(key, CompletableFuture.completedFuture(null));
            CompletableFuture<List<MetricRow>> job = previous.thenApplyAsync(ignored -> {
                long t0 = CPU.getCurrentThreadCpuTime();
                List<Measurement> ms = s.measure(in.data());
                fitNanos.addAndGet(CPU.getCurrentThreadCpuTime() - t0);
                List<MetricRow> out = new ArrayList<>(ms.size());
                for (Measurement m : ms) {
                    out.add(rows.row(in.layer(), in.variable().name(), in.probe().label(), m.metric(), m.value()));
                }
                return out;
            }, pool);
            lastOfSeries.put(key, job);
            jobs.add(job);
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
                rows.addAll(job.join());
            }
            waitNanos += System.nanoTime() - t;
            pending.poll();
            csv.append(rows);
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("step", head.step);
            ev.put("epoch", head.epoch);
            ev.put("rows", rows.size());
            dir.event("probe-point", ev);
            listener.probePoint(head.step, head.epoch, rows);
        }
    }

    /** Forgets points not yet written (after a failure: their fits are abandoned). */
    void abandon() {
        pending.clear();
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
