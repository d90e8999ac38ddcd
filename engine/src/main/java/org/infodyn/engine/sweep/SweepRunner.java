package org.infodyn.engine.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.output.RunDirectory;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.run.ReplicaGroups;
import org.infodyn.engine.run.RunListener;
import org.infodyn.engine.run.RunPlan;
import org.infodyn.engine.run.RunPlanner;
import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.RunStatus;
import org.infodyn.engine.run.Runner;
import org.infodyn.engine.summary.Summaries;
import org.infodyn.engine.run.StopSignal;

/**
 * Executes a {@link SweepPlan} into its directory: takes the directory's lock, writes
 * {@code sweep.json}, keeps the runs a previous invocation finished ({@code resume}), redoes the
 * interrupted ones, runs the rest on parallel workers and, still holding the lock, writes the
 * aggregates.
 *
 * <p>Layout: {@code sweep.json}, {@code sweep.lock}, {@code runs/<run-id>/} (as a single run
 * writes it), then whatever the finisher writes ({@code summary.csv}, {@code summary.json},
 * {@code extremes.csv} by default).
 */
public final class SweepRunner {
    /** Where the run directories go inside a sweep directory. */
    public static final String RUNS = "runs";

    /** Where run directories received from a cluster are assembled before they move into {@link #RUNS} (same filesystem). */
    static final String INCOMING = ".incoming";

    private final Registry registry;
    private final StopSignal stop;

    public SweepRunner(Registry registry) {
        this(registry, new StopSignal());
    }

    /** @param stop once requested, runs going on end as interrupted and no further run starts */
    public SweepRunner(Registry registry, StopSignal stop) {
        this.registry = registry;
        this.stop = stop;
    }

    /**
     * How to execute.
     *
     * @param dir the sweep's directory
     * @param parallel runs at once, ≥ 1
     * @param resume continue a sweep in {@code dir}; without it, a directory that holds a sweep is refused
     * @param finisher writes the aggregates once the runs are done (e.g. {@link Summaries#write})
     * @param replicas the largest replica group: runs that differ only in seed, learning rate,
     *     momentum or weight decay train together, at most this many at once (1 = each on its own)
     * @param cluster where the runs execute when not in this process (then {@code parallel} is the cluster's business)
     */
    public record Options(Path dir, int parallel, boolean resume, Finisher finisher, int replicas, Optional<OnCluster> cluster) {
        public Options {
            if (parallel < 1) {
                throw new ConfigException("--parallel must be ≥ 1, got " + parallel);
            }
            if (replicas < 1) {
                throw new ConfigException("--replicas must be ≥ 1, got " + replicas + " (1 turns replica groups off)");
            }
        }

        /** Options for a sweep in this process. */
        public Options(Path dir, int parallel, boolean resume, Finisher finisher, int replicas) {
            this(dir, parallel, resume, finisher, replicas, Optional.empty());
        }

        /** Options with the default replica groups. */
        public Options(Path dir, int parallel, boolean resume, Finisher finisher) {
            this(dir, parallel, resume, finisher, ReplicaGroups.DEFAULT_MAX);
        }
    }

    /**
     * A sweep's runs handed to a cluster: each replica group becomes one {@link ClusterTask}.
     *
     * @param connection the cluster
     * @param source the sweep's source, which the executors expand again
     * @param probeThreads threads for each run's probe fits on an executor
     */
    public record OnCluster(SweepCluster.Connection connection, SweepSource source, int probeThreads) {
    }

    /** What runs after the runs, under the sweep's lock: writes the aggregates and returns them. */
    @FunctionalInterface
    public interface Finisher {
        Summaries finish(Path dir) throws IOException;
    }

    /** Follows a sweep as it goes (progress display). Called from worker threads: keep it quick and thread-safe. */
    public interface Listener {
        /** The runs to execute are known ({@code kept} finished ones are kept); about to start on {@code workers} workers. */
        default void planned(int kept, int todo, int workers) {
        }

        /** A run directory left by an interrupted or failed run is removed and the run is done again. */
        default void redoing(String runId, String reason) {
        }

        /** A run started. */
        default void started(String runId) {
        }

        /** On a cluster: an attempt at a run ended without a result (its executor was lost); the cluster may retry it. */
        default void attemptLost(String runId, String why) {
        }

        /** A run ended, however it ended. */
        default void finished(RunResult result) {
        }
    }

    /**
     * How a sweep ended.
     *
     * @param kept runs finished by an earlier invocation and kept
     * @param results the runs executed now, in plan order
     * @param summaries the aggregates over every run of the sweep, kept ones included; empty when
     *     the sweep was stopped (a resumed sweep writes them)
     */
    public record Outcome(int kept, List<RunResult> results, Optional<Summaries> summaries) {
        /** Whether a stop ended the sweep before every run was done. */
        public boolean stopped() {
            return summaries.isEmpty();
        }

        /** Runs stopped part-way. */
        public long interrupted() {
            return results.stream().filter(r -> r.status() == RunStatus.INTERRUPTED).count();
        }

        /** Runs that failed. */
        public long failed() {
            return results.stream().filter(r -> r.status() == RunStatus.FAILED).count();
        }

        /** Runs that diverged. */
        public long diverged() {
            return results.stream().filter(r -> r.status() == RunStatus.DIVERGED).count();
        }
    }

    /**
     * Runs the sweep.
     *
     * @throws ConfigException when the directory cannot hold it (a file, another sweep's directory
     *     without {@code resume}, a sweep of a different experiment, a lock held by another process)
     */
    public Outcome run(SweepPlan plan, Options options, Listener listener) throws IOException, InterruptedException {
        Path dir = options.dir();
        checkDirectory(dir, options.resume());
        try (SweepLock lock = SweepLock.acquire(dir)) {
            Path defFile = dir.resolve(SweepPlan.FILE);
            if (options.resume() && Files.exists(defFile)) {
                plan.checkSameAs(Json.readObject(defFile), dir);
            }
            Path runs = dir.resolve(RUNS);
            List<SweepPlan.SweepRun> todo = new ArrayList<>();
            int kept = 0;
            for (SweepPlan.SweepRun r : plan.runs()) {
                RunState state = RunState.of(runs.resolve(r.runId()));
                if (state.finished()) {
                    kept++;
                } else {
                    todo.add(r);
                    state.checkRedoable(runs.resolve(r.runId()));
                }
            }
            Json.write(defFile, plan.definition());
            Files.createDirectories(runs);
            for (SweepPlan.SweepRun r : todo) {
                Path runDir = runs.resolve(r.runId());
                if (Files.exists(runDir)) {
                    listener.redoing(r.runId(), RunState.of(runDir).reason());
                    deleteTree(runDir);
                }
            }
            List<List<SweepPlan.SweepRun>> groups = ReplicaGroups.split(todo,
                    r -> ReplicaGroups.Key.of(r.condition().experiment(), r.backend()), options.replicas());
            List<RunResult> results;
            if (options.cluster().isPresent()) {
                cleanIncoming(dir);
                listener.planned(kept, todo.size(), options.cluster().get().connection().slots());
                try {
                    results = new ClusterExecution(plan, options.cluster().get(), runs, dir.resolve(INCOMING), stop, listener)
                            .execute(groups);
                } finally {
                    cleanIncoming(dir);
                }
            } else {
                int workers = Math.min(options.parallel(), Math.max(1, groups.size()));
                listener.planned(kept, todo.size(), workers);
                results = execute(groups, runs, workers, listener);
            }
            if (stop.isRequested()) {
                return new Outcome(kept, results, Optional.empty()); // quickly: the lock is released, a resume finishes
            }
            return new Outcome(kept, results, Optional.of(options.finisher().finish(dir)));
        }
    }

    /**
     * Runs one run of the plan, by its index in plan order, into the sweep's directory: for
     * schedulers that start one process per run (Slurm job arrays, Kubernetes indexed jobs),
     * many at once on a shared folder. It holds the sweep's lock shared (so a whole sweep cannot
     * write there meanwhile) and the run's own lock; writes {@code sweep.json} (or checks that the
     * one there is this sweep's); keeps a finished run; redoes an interrupted or failed one. It
     * writes no aggregates: {@code infodyn report DIR} does, once the runs are done.
     *
     * @param index 0 ≤ index &lt; the plan's run count
     * @return the run's result, or empty when it had already finished (kept)
     * @throws ConfigException for an index out of range, another sweep's directory, a run or
     *     sweep being written by another process
     */
    public Optional<RunResult> runOne(SweepPlan plan, int index, Path dir, Listener listener) throws IOException, InterruptedException {
        int n = plan.runs().size();
        if (index < 0 || index >= n) {
            throw new ConfigException("--only-index: " + index + " is not a run of this sweep; its " + n + " runs are 0 … " + (n - 1)
                    + " ('infodyn sweep EXPERIMENT --dry-run' lists them)");
        }
        checkNotAFile(dir);
        RunDirectory.checkWritable(dir, List.of());
        SweepPlan.SweepRun run = plan.runs().get(index);
        try (SweepLock shared = SweepLock.acquireShared(dir); SweepLock own = SweepLock.acquireRun(dir, run.runId())) {
            Path defFile = dir.resolve(SweepPlan.FILE);
            if (Files.exists(defFile)) {
                plan.checkSameAs(Json.readObject(defFile), dir);
            } else {
                Json.write(defFile, plan.definition()); // atomic: concurrent writers write the same bytes
            }
            Path runs = Files.createDirectories(dir.resolve(RUNS));
            Path runDir = runs.resolve(run.runId());
            RunState state = RunState.of(runDir);
            if (state.finished()) {
                listener.planned(1, 0, 1);
                return Optional.empty();
            }
            if (Files.exists(runDir)) {
                state.checkRedoable(runDir);
                listener.redoing(run.runId(), state.reason());
                deleteTree(runDir);
            }
            listener.planned(0, 1, 1);
            List<RunResult> results = execute(List.of(List.of(run)), runs, 1, listener);
            return results.stream().findFirst();
        }
    }

    private static void checkNotAFile(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("--out " + dir + " is a file; choose a directory");
        }
    }

    private static void checkDirectory(Path dir, boolean resume) throws IOException {
        checkNotAFile(dir);
        if (!resume && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.anyMatch(p -> !p.getFileName().toString().equals(SweepLock.FILE))) {
                    throw new ConfigException(dir + " already holds a sweep; add --resume to continue it, or choose another --out"
                            + " (nothing was overwritten)");
                }
            }
        }
        RunDirectory.checkWritable(dir, List.of());
    }

    private List<RunResult> execute(List<List<SweepPlan.SweepRun>> groups, Path runs, int workers, Listener listener)
            throws InterruptedException {
        RunPlanner planner = new RunPlanner(registry);
        // The processors are shared: each worker's probe fits get an equal part.
        Runner runner = new Runner(Math.max(1, Runtime.getRuntime().availableProcessors() / workers), stop);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "infodyn-sweep-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<RunResult>>> futures = new ArrayList<>();
            for (List<SweepPlan.SweepRun> group : groups) {
                futures.add(pool.submit(() -> stop.isRequested() ? List.<RunResult>of() : runGroup(group, planner, runner, runs, listener)));
            }
            List<RunResult> results = new ArrayList<>();
            for (Future<List<RunResult>> f : futures) {
                try {
                    results.addAll(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One worker's task: a replica group (or, when the planned runs turn out unable to share one,
     * its runs one after another). A run that cannot even be planned fails alone.
     */
    private List<RunResult> runGroup(List<SweepPlan.SweepRun> group, RunPlanner planner, Runner runner, Path runs,
            Listener listener) {
        List<RunPlan> plans = new ArrayList<>();
        List<RunResult> failed = new ArrayList<>();
        for (SweepPlan.SweepRun r : group) {
            listener.started(r.runId());
            try {
                plans.add(planner.plan(r.condition().experiment(), r.seed(), r.backend()));
            } catch (RuntimeException e) {
                failed.add(failure(r.runId(), runs, e));
            }
        }
        List<RunResult> results = new ArrayList<>(failed);
        results.addAll(runPlans(plans, runner, runs, stop));
        results.forEach(listener::finished);
        return results;
    }

    /**
     * Runs planned runs into {@code runs}: as one replica group when they can share one, else one
     * after another; a group that throws fails its runs (here and on a cluster's executors).
     */
    static List<RunResult> runPlans(List<RunPlan> plans, Runner runner, Path runs, StopSignal stop) {
        List<RunResult> results = new ArrayList<>();
        List<List<RunPlan>> batches = ReplicaGroups.incompatibility(plans).isEmpty() ? List.of(plans)
                : plans.stream().map(List::of).toList();
        for (List<RunPlan> batch : batches) {
            if (batch.isEmpty() || stop.isRequested()) {
                continue;
            }
            try {
                results.addAll(runner.runGroup(batch, runs, batch.stream().map(p -> RunListener.NONE).toList()));
            } catch (RuntimeException | IOException e) {
                batch.forEach(p -> results.add(failure(p.runId(), runs, e)));
            }
        }
        return results;
    }

    /** Removes run directories a killed driver was receiving (never complete: they move into runs/ whole). */
    private static void cleanIncoming(Path dir) throws IOException {
        Path incoming = dir.resolve(INCOMING);
        if (Files.isDirectory(incoming)) {
            deleteTree(incoming);
        }
    }

    static RunResult failure(String runId, Path runs, Exception e) {
        return new RunResult(runId, runs.resolve(runId), RunStatus.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(),
                OptionalLong.empty(), 0, Optional.of(e), List.of());
    }

    /**
     * Removes a folder and everything in it: a run directory that {@link RunState#checkRedoable}
     * accepted (only files infodyn writes), {@code .incoming}, an executor's scratch folder.
     */
    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
