package org.infodyn.spark;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.TaskKilled;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.sweep.ClusterResult;
import org.infodyn.engine.sweep.ClusterTask;
import org.infodyn.engine.sweep.SweepCluster;

/**
 * A sweep's Spark application. Each task is its own one-partition Spark job, submitted at once
 * (Spark queues them on free executor cores); a job's result is received as soon as it ends,
 * so the driver writes each run when it is done. A listener tells when an executor starts a task.
 */
final class SparkConnection implements SweepCluster.Connection {
    private static final String TASK_KEY = "infodyn.task";
    /** How long to wait for a cluster's first executors before the sweep starts anyway (progress then counts one slot). */
    private static final long EXECUTOR_WAIT_MILLIS = 30_000;
    /**
     * Executors granted together register within about this long of each other (their JVMs start
     * side by side; on a loaded machine 750 ms proved too short). Counts only the header and the first ETA.
     */
    private static final long SETTLE_MILLIS = 2_000;

    private final JavaSparkContext sc;
    private final int localSlots;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, SweepCluster.TaskEvents> startCallbacks = new ConcurrentHashMap<>();
    private final Map<Integer, String> stageTasks = new ConcurrentHashMap<>();
    private final Map<String, Integer> executorCores = new ConcurrentHashMap<>();
    private final Map<JavaFutureAction<List<ClusterResult>>, CompletableFuture<ClusterResult>> pending = new ConcurrentHashMap<>();
    private final Thread collector;
    private volatile boolean closed;

    private SparkConnection(JavaSparkContext sc, int localSlots) {
        this.sc = sc;
        this.localSlots = localSlots;
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted e) {
                Properties p = e.properties();
                if (p != null && p.getProperty(TASK_KEY) != null) {
                    stageTasks.put(e.stageInfo().stageId(), p.getProperty(TASK_KEY));
                }
            }

            @Override
            public void onExecutorAdded(SparkListenerExecutorAdded e) {
                executorCores.put(e.executorId(), e.executorInfo().totalCores());
            }

            @Override
            public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
                executorCores.remove(e.executorId());
            }

            @Override
            public void onTaskStart(SparkListenerTaskStart e) {
                SweepCluster.TaskEvents events = events(e.stageId());
                if (events != null) {
                    events.started();
                }
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd e) {
                SweepCluster.TaskEvents events = events(e.stageId());
                if (events != null && e.reason() instanceof TaskFailedReason failed && !(e.reason() instanceof TaskKilled)) {
                    events.attemptLost(failed.toErrorString().lines().findFirst().orElse("failed"));
                }
            }
        });
        collector = new Thread(this::collect, "infodyn-spark-results");
        collector.setDaemon(true);
        collector.start();
    }

    private SweepCluster.TaskEvents events(int stageId) {
        String key = stageTasks.get(stageId);
        return key == null ? null : startCallbacks.get(key);
    }

    /** Starts the Spark application, turning Spark's start-up failures into one-line errors. */
    static SparkConnection open(SparkConf conf, int localSlots) {
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new ConfigException("--spark " + conf.get("spark.master", "") + ": Spark could not start: "
                    + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("")), e);
        }
        sc.setLogLevel("WARN");
        SparkConnection c = new SparkConnection(sc, localSlots);
        c.awaitExecutors();
        return c;
    }

    /**
     * On a cluster, waits for the executors the master grants at start (until none has joined for
     * a moment): the sweep's header and ETA then count them. Tasks queue meanwhile in any case.
     */
    private void awaitExecutors() {
        long end = System.currentTimeMillis() + EXECUTOR_WAIT_MILLIS;
        int seen = 0;
        long lastChange = System.currentTimeMillis();
        while (localSlots == 0 && System.currentTimeMillis() < end) {
            int now = executorCores.size();
            if (now != seen) {
                seen = now;
                lastChange = System.currentTimeMillis();
            } else if (seen > 0 && System.currentTimeMillis() - lastChange > SETTLE_MILLIS) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String describe() {
        if (sc.sc().isStopped()) {
            return "Spark " + sc.version() + " at " + sc.master() + " (stopped)";
        }
        int executors = executorCores.size();
        return "Spark " + sc.version() + " at " + sc.master() + (localSlots > 0 ? "" : ", " + executors + " executor"
                + (executors == 1 ? "" : "s")) + ", " + slots() + " task" + (slots() == 1 ? "" : "s") + " at once";
    }

    @Override
    public int slots() {
        if (localSlots > 0) {
            return localSlots;
        }
        if (sc.sc().isStopped()) {
            return 1;
        }
        int cpusPerTask = Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
        return Math.max(1, executorCores.values().stream().mapToInt(c -> c / cpusPerTask).sum());
    }

    @Override
    public CompletableFuture<ClusterResult> submit(ClusterTask task, SweepCluster.TaskEvents started) {
        String key = "t" + ids.incrementAndGet();
        CompletableFuture<ClusterResult> result = new CompletableFuture<>();
        startCallbacks.put(key, started);
        if (sc.sc().isStopped()) {
            result.completeExceptionally(new IllegalStateException("the Spark application was stopped"));
            return result;
        }
        synchronized (sc) { // the local property is the submitting thread's: set and submit together
            sc.setLocalProperty(TASK_KEY, key);
            sc.setJobDescription("infodyn " + String.join(", ", task.runIds()));
            pending.put(sc.parallelize(List.of(task), 1).map(new RunOnExecutor()).collectAsync(), result);
            sc.setLocalProperty(TASK_KEY, null);
        }
        result.whenComplete((r, e) -> startCallbacks.remove(key));
        return result;
    }

    /** Completes each task's future when its job ends. */
    private void collect() {
        while (!closed) {
            if (sc.sc().isStopped()) { // the application was ended under us (by the master, or a fatal error)
                pending.forEach((job, f) -> f.completeExceptionally(new IllegalStateException("the Spark application was stopped"
                        + " (the cluster's master log says why, e.g. executors that could not start)")));
                pending.clear();
            }
            for (var e : pending.entrySet()) {
                JavaFutureAction<List<ClusterResult>> job = e.getKey();
                if (!job.isDone()) {
                    continue;
                }
                pending.remove(job);
                try {
                    e.getValue().complete(job.get().get(0));
                } catch (ExecutionException | CancellationException ex) {
                    Throwable cause = ex instanceof ExecutionException && ex.getCause() != null ? ex.getCause() : ex;
                    e.getValue().completeExceptionally(cancelled(cause) ? new CancellationException("cancelled") : cause);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException ex) {
                return;
            }
        }
    }

    private static boolean cancelled(Throwable t) {
        return t instanceof CancellationException || t instanceof SparkException && String.valueOf(t.getMessage()).contains("cancelled");
    }

    @Override
    public void cancelAll() {
        sc.cancelAllJobs();
    }

    @Override
    public void close() {
        closed = true;
        collector.interrupt();
        pending.values().forEach(f -> f.completeExceptionally(new CancellationException("the Spark application ended")));
        try {
            sc.stop();
        } catch (RuntimeException ignored) {
            // stopping is best effort: the JVM is about to end the application anyway
        }
    }
}
