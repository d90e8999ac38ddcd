package org.infodyn.engine.sweep;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.experiment.Sweep;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.run.RunPlan;
import org.infodyn.engine.run.RunPlanner;
import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.Runner;
import org.infodyn.engine.run.StopSignal;

/**
 * One unit of a sweep handed to a {@link SweepCluster}: a replica group (or a single run), with
 * what an executor needs to run it exactly as a local sweep would: the sweep's source, and for
 * each run its condition, seed, and the backend the driver chose (with the reason the manifest
 * records). The executor expands the sweep again, plans the runs, checks their ids against the
 * driver's, runs them into a scratch folder and sends every file back ({@link ClusterResult}).
 *
 * @param source the sweep's experiment text and overrides
 * @param runs the runs, in plan order
 * @param probeThreads threads for each run's probe fits
 */
public record ClusterTask(SweepSource source, List<Run> runs, int probeThreads) implements Serializable {
    private static final long serialVersionUID = 1L;

    public ClusterTask {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a cluster task needs at least one run");
        }
    }

    /**
     * One run of the task.
     *
     * @param condition the index of its condition in the sweep
     * @param seed its seed
     * @param runId the id the driver planned (the executor's must match)
     * @param backend the backend's id
     * @param backendReason why the driver chose it (recorded in the manifest)
     */
    public record Run(int condition, long seed, String runId, String backend, String backendReason) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** The runs' ids, in order. */
    public List<String> runIds() {
        return runs.stream().map(Run::runId).toList();
    }

    /**
     * Runs the task on an executor: the plugins are those installed in this JVM (loaded once per
     * JVM), the run directories are made under {@code scratch} and deleted once read.
     *
     * @param scratch a folder of the executor's own (not shared)
     * @param worker how messages name this executor (host, executor id)
     */
    public ClusterResult execute(Path scratch, String worker) {
        return execute(Plugins.REGISTRY, scratch, worker);
    }

    /** Runs the task with the given plugins (tests: an executor's plugins without ServiceLoader). */
    ClusterResult execute(Registry registry, Path scratch, String worker) {
        List<RunPlan> plans = new ArrayList<>();
        List<ClusterResult.RunFiles> out = new ArrayList<>();
        try {
            Sweep sweep = source.expand();
            RunPlanner planner = new RunPlanner(registry);
            for (Run r : runs) {
                Backend backend = registry.backend(r.backend(), "backend");
                RunPlan plan;
                try {
                    plan = planner.plan(sweep.conditions().get(r.condition()).experiment(), r.seed(),
                            new Registry.BackendChoice(backend, r.backendReason()));
                } catch (ConfigException e) {
                    throw e;
                } catch (RuntimeException e) { // as in a local sweep: a run that cannot be planned fails alone
                    out.add(ClusterResult.RunFiles.of(SweepRunner.failure(r.runId(), scratch, e)));
                    continue;
                }
                if (!plan.runId().equals(r.runId())) {
                    throw new ConfigException("the worker made run id " + plan.runId() + " where the driver made " + r.runId()
                            + ": the worker's infodyn or plugins differ from the driver's");
                }
                plans.add(plan);
            }
        } catch (ConfigException e) {
            // The driver planned these conditions without complaint: what fails here is the worker's setup.
            return ClusterResult.setupProblem(worker, "on worker " + worker + ": " + e.getMessage() + hint(e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory(Files.createDirectories(scratch), "infodyn-task-");
            Runner runner = new Runner(probeThreads, new StopSignal());
            for (RunResult r : SweepRunner.runPlans(plans, runner, dir, new StopSignal())) {
                out.add(ClusterResult.RunFiles.of(r));
            }
            return ClusterResult.of(worker, out);
        } catch (IOException e) {
            throw new UncheckedIOException("on worker " + worker + ": " + e.getMessage(), e); // the cluster reruns it elsewhere
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The executor's host name, for messages. */
    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown host";
        }
    }

    private static String hint(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("no such file") || m.contains("not found") || m.contains("nosuchfile") || m.contains("does not exist")
                ? " (every worker must read the task's data at the same path; a relative path is read from the worker's"
                        + " working folder " + Path.of("").toAbsolutePath() + ")"
                : "";
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            SweepRunner.deleteTree(dir);
        } catch (IOException | UncheckedIOException ignored) {
            // scratch space: the cluster's own clean-up removes what is left
        }
    }

    /** The plugins of this JVM, loaded on first use: backends load their native libraries once per executor. */
    private static final class Plugins {
        static final Registry REGISTRY = Registry.load();
    }
}
