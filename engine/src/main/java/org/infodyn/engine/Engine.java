package org.infodyn.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.experiment.ExperimentParser;
import org.infodyn.engine.experiment.ExperimentReader;
import org.infodyn.engine.experiment.Overrides;
import org.infodyn.engine.experiment.Sweep;
import org.infodyn.engine.output.RunDirectory;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.run.RunListener;
import org.infodyn.engine.run.RunPlan;
import org.infodyn.engine.run.RunPlanner;
import org.infodyn.engine.run.ReplicaGroups;
import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.Runner;
import org.infodyn.engine.summary.Summaries;
import org.infodyn.engine.sweep.SweepPlan;
import org.infodyn.engine.sweep.SweepRunner;
import org.infodyn.engine.sweep.SweepSource;
import org.infodyn.engine.run.StopSignal;

/**
 * The entry point for programs that run infodyn experiments: the command line, tests, a notebook
 * kernel, a cluster task. It holds the installed plugins and does the three things a caller needs:
 * read an experiment, run it (every seed), run a sweep.
 *
 * <pre>{@code
 * Engine engine = Engine.withInstalledPlugins();
 * Experiment e = engine.read(Path.of("examples/checkerboard.yaml"), List.of("seeds=0..2"));
 * List<RunResult> runs = engine.run(e, Path.of("runs/mine"));
 * }</pre>
 *
 * Every configuration problem is a {@link ConfigException} thrown before anything is written.
 */
public final class Engine {
    private final Registry registry;
    private final int probeThreads;
    private final int replicas;
    private final StopSignal stop;

    private Engine(Registry registry, int probeThreads, int replicas, StopSignal stop) {
        if (probeThreads < 1) {
            throw new ConfigException("--probe-threads must be ≥ 1, got " + probeThreads);
        }
        if (replicas < 1) {
            throw new ConfigException("--replicas must be ≥ 1, got " + replicas + " (1 turns replica groups off)");
        }
        this.registry = registry;
        this.probeThreads = probeThreads;
        this.replicas = replicas;
        this.stop = stop;
    }

    /** An engine with every plugin found on the class path and module path. */
    public static Engine withInstalledPlugins() {
        return with(Registry.load());
    }

    /** An engine with exactly these plugins. */
    public static Engine with(Registry registry) {
        return new Engine(registry, Runtime.getRuntime().availableProcessors(), ReplicaGroups.DEFAULT_MAX, new StopSignal());
    }

    /** The same engine with {@code n} worker threads for probe fits (default: one per processor). */
    public Engine withProbeThreads(int n) {
        return new Engine(registry, n, replicas, stop);
    }

    /**
     * The same engine training at most {@code n} compatible runs together as one replica group
     * (default {@value ReplicaGroups#DEFAULT_MAX}; 1 trains every run on its own).
     */
    public Engine withReplicas(int n) {
        return new Engine(registry, probeThreads, n, stop);
    }

    /** The worker threads that fit a run's probes (one fit per thread). */
    public int probeThreads() {
        return probeThreads;
    }

    /** The largest replica group. */
    public int replicas() {
        return replicas;
    }

    /**
     * Stops what this engine (and every engine derived from it with {@code with…}) is running:
     * runs end as interrupted after their current step, with what they measured so far; sweeps
     * start no further runs. For a signal handler or another thread.
     */
    public StopSignal stopSignal() {
        return stop;
    }

    /** The plugins. */
    public Registry registry() {
        return registry;
    }

    /**
     * Reads and binds an experiment file.
     *
     * @param overrides {@code path=value} assignments, as {@code --set} takes them
     */
    public Experiment read(Path file, List<String> overrides) {
        return ExperimentReader.read(file, Overrides.parse(overrides, ExperimentParser::parseValue));
    }

    /** Reads an experiment file with a {@code sweep} block and expands its grid. */
    public Sweep readSweep(Path file, List<String> overrides) {
        return readSweep(SweepSource.read(file, overrides));
    }

    /** Expands the sweep of an experiment already read (the form a cluster's executors get). */
    public Sweep readSweep(SweepSource source) {
        return source.expand();
    }

    /**
     * The backend an experiment runs on: {@code explicit} (a command-line flag), else the
     * experiment's {@code backend} field, else {@value Registry#BACKEND_ENV}, else the available
     * backend of highest priority.
     */
    public Registry.BackendChoice backendFor(Experiment e, Optional<String> explicit) {
        try {
            return registry.chooseBackend(explicit, e.backend(), Optional.ofNullable(System.getenv(Registry.BACKEND_ENV)));
        } catch (ConfigException ex) {
            throw e.overrides().attribute(ex);
        }
    }

    /** Plans one run: every plugin bound, the data made, everything checked; nothing written. */
    public RunPlan plan(Experiment e, long seed, Registry.BackendChoice backend) {
        return new RunPlanner(registry).plan(e, seed, backend);
    }

    /** Runs every seed of {@code e} on the backend it names (or the default) into {@code parent}. */
    public List<RunResult> run(Experiment e, Path parent) throws IOException {
        Registry.BackendChoice backend = backendFor(e, Optional.empty());
        return run(e, backend, parent, (seed, group) -> RunListener.NONE);
    }

    /** Gives each seed's run its own listener. */
    @FunctionalInterface
    public interface Listeners {
        /**
         * @param seed the run's seed
         * @param group the seeds training together with it, in order (just {@code seed} without groups)
         */
        RunListener forSeed(long seed, List<Long> group);
    }

    /**
     * Runs every seed of {@code e} into {@code parent/<run-id>/}: the seeds train together in
     * replica groups of at most {@link #replicas()} (fewer when memory holds fewer), one group
     * after another. The first seed is planned and the output checked before anything is written,
     * so a configuration error leaves no trace.
     *
     * @return one result per seed started, in the experiment's order (after a stop, the seeds not
     *     started have none); a failed, diverged or interrupted run is a result, not an exception
     */
    public List<RunResult> run(Experiment e, Registry.BackendChoice backend, Path parent, Listeners listeners) throws IOException {
        RunPlan first = check(e, backend, parent);
        Runner runner = new Runner(probeThreads, stop);
        int size = Math.min(replicas, first.replicasThatFit());
        List<RunResult> results = new ArrayList<>();
        for (List<Long> seeds : ReplicaGroups.split(e.seeds(), s -> ReplicaGroups.Key.of(e, backend), size)) {
            if (stop.isRequested()) {
                break; // the seeds not started are not run
            }
            List<RunPlan> plans = new ArrayList<>();
            for (long seed : seeds) {
                plans.add(seed == first.seed() ? first : plan(e, seed, backend));
            }
            results.addAll(runTogether(runner, plans, parent, seeds, listeners));
        }
        return results;
    }

    /** Runs plans as one group when they can share one, else one after another (a task may split data differently per seed). */
    private static List<RunResult> runTogether(Runner runner, List<RunPlan> plans, Path parent, List<Long> seeds, Listeners listeners)
            throws IOException {
        if (ReplicaGroups.incompatibility(plans).isEmpty()) {
            List<RunListener> ls = new ArrayList<>();
            for (RunPlan p : plans) {
                ls.add(listeners.forSeed(p.seed(), seeds));
            }
            return runner.runGroup(plans, parent, ls);
        }
        List<RunResult> out = new ArrayList<>();
        for (RunPlan p : plans) {
            out.add(runner.run(p, parent, listeners.forSeed(p.seed(), List.of(p.seed()))));
        }
        return out;
    }

    /**
     * Everything {@link #run} checks before it writes, and nothing more: the first seed planned
     * in full (its data made, every plugin bound, the memory estimated), the output folder
     * proven writable and the device asked for at hand (this loads the backend's native
     * library). A "dry run".
     *
     * @return the first seed's plan
     * @throws ConfigException for anything the user must fix
     */
    public RunPlan check(Experiment e, Registry.BackendChoice backend, Path parent) {
        RunPlan first = plan(e, e.seeds().get(0), backend);
        RunDirectory.checkWritable(parent, e.seeds().stream().map(s -> RunPlanner.runId(e, backend.backend().id(), s)).toList());
        backend.backend().device(first.buildOptions());
        return first;
    }

    /**
     * Checks that every backend of a sweep can have the device its conditions ask for, once per
     * backend and device (this loads the backends' native libraries). Not for a sweep on a
     * cluster: there the executors' machines decide.
     *
     * @throws org.infodyn.api.backend.BackendUnavailableException naming the first that cannot
     */
    public void checkDevices(SweepPlan plan) {
        Set<List<Object>> seen = new HashSet<>();
        for (SweepPlan.SweepRun r : plan.runs()) {
            Experiment e = r.condition().experiment();
            if (seen.add(List.of(r.backend().backend().id(), e.device()))) {
                r.backend().backend().device(new BuildOptions(e.device(), e.threads()));
            }
        }
    }

    /**
     * Plans every run of a sweep (so every configuration error shows before anything runs).
     *
     * @param backendFlag a backend for every condition, refused when the grid sweeps backends
     */
    public SweepPlan planSweep(Sweep sweep, Optional<String> backendFlag) {
        return SweepPlan.create(sweep, registry, backendFlag, Optional.ofNullable(System.getenv(Registry.BACKEND_ENV)));
    }

    /** Runs a sweep into {@code dir} on {@code parallel} workers and writes its summaries. */
    public SweepRunner.Outcome sweep(SweepPlan plan, Path dir, int parallel, boolean resume) throws IOException, InterruptedException {
        return sweep(plan, new SweepRunner.Options(dir, parallel, resume, Summaries::write, replicas), new SweepRunner.Listener() {
        });
    }

    /** Runs a sweep with full control of its options and progress. */
    public SweepRunner.Outcome sweep(SweepPlan plan, SweepRunner.Options options, SweepRunner.Listener listener)
            throws IOException, InterruptedException {
        return new SweepRunner(registry, stop).run(plan, options, listener);
    }

    /**
     * Runs one run of a sweep, by its index in plan order, into the sweep's directory; no
     * aggregates (see {@link SweepRunner#runOne}).
     *
     * @return the run's result, or empty when it had already finished
     */
    public Optional<RunResult> sweepOne(SweepPlan plan, int index, Path dir, SweepRunner.Listener listener)
            throws IOException, InterruptedException {
        return new SweepRunner(registry, stop).runOne(plan, index, dir, listener);
    }
}
