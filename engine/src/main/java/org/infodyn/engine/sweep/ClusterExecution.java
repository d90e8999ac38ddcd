package org.infodyn.engine.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.experiment.Sweep;
import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.RunStatus;
import org.infodyn.engine.run.StopSignal;

/**
 * The driver's side of a sweep on a cluster: one {@link ClusterTask} per replica group, all
 * handed out at once (the cluster queues them on its executors), each result written into the
 * sweep's directory as soon as it arrives, so that a driver killed part-way leaves every finished
 * run in place for {@code --resume}.
 */
final class ClusterExecution {
    private final SweepPlan plan;
    private final SweepRunner.OnCluster cluster;
    private final Path runs;
    private final Path incoming;
    private final StopSignal stop;
    private final SweepRunner.Listener listener;
    private final List<String> gaveUp = new ArrayList<>();
    private String firstReason;

    ClusterExecution(SweepPlan plan, SweepRunner.OnCluster cluster, Path runs, Path incoming, StopSignal stop,
            SweepRunner.Listener listener) {
        this.plan = plan;
        this.cluster = cluster;
        this.runs = runs;
        this.incoming = incoming;
        this.stop = stop;
        this.listener = listener;
    }

    /** A task's end: its result, or why the cluster gave up on it. */
    private record Done(ClusterTask task, ClusterResult result, Throwable error) {
    }

    /**
     * Runs the groups; returns their results in completion order.
     *
     * @throws ConfigException when a worker cannot run its task for a reason the user must fix
     *     (its setup): the other tasks are cancelled, finished runs stay
     */
    List<RunResult> execute(List<List<SweepPlan.SweepRun>> groups) throws IOException, InterruptedException {
        Map<Sweep.Condition, Integer> conditionIndex = new IdentityHashMap<>(); // the plan's own condition objects
        List<Sweep.Condition> conditions = plan.sweep().conditions();
        for (int i = 0; i < conditions.size(); i++) {
            conditionIndex.put(conditions.get(i), i);
        }
        BlockingQueue<Done> done = new LinkedBlockingQueue<>();
        List<ClusterTask> tasks = new ArrayList<>();
        for (List<SweepPlan.SweepRun> group : groups) {
            List<ClusterTask.Run> rs = group.stream().map(r -> new ClusterTask.Run(conditionIndex.get(r.condition()), r.seed(),
                    r.runId(), r.backend().backend().id(), r.backend().reason())).toList();
            tasks.add(new ClusterTask(cluster.source(), rs, cluster.probeThreads()));
        }
        SweepCluster.Connection connection = cluster.connection();
        for (ClusterTask task : tasks) {
            connection.submit(task, new SweepCluster.TaskEvents() {
                @Override
                public void started() {
                    task.runIds().forEach(listener::started);
                }

                @Override
                public void attemptLost(String why) {
                    task.runIds().forEach(id -> listener.attemptLost(id, why));
                }
            }).whenComplete((result, error) -> done.add(new Done(task, result, error)));
        }
        List<RunResult> results = new ArrayList<>();
        int pending = tasks.size();
        try {
            while (pending > 0) {
                Done d = done.poll(200, TimeUnit.MILLISECONDS);
                if (stop.isRequested()) {
                    connection.cancelAll();
                    break;
                }
                if (d == null) {
                    continue;
                }
                pending--;
                results.addAll(receive(d));
            }
        } finally {
            if (pending > 0) {
                connection.cancelAll();
            }
        }
        if (!gaveUp.isEmpty() && !stop.isRequested()) {
            throw new SweepIncompleteException("the cluster gave up on " + gaveUp.size() + " run" + (gaveUp.size() == 1 ? "" : "s")
                    + " (" + String.join(", ", gaveUp) + "): " + firstReason + "; the " + results.size() + " run"
                    + (results.size() == 1 ? "" : "s") + " received are kept: continue with --resume");
        }
        if (stop.isRequested()) {
            // runs not received are lost with their executors' scratch folders: a resume redoes them
            List<String> received = results.stream().map(RunResult::runId).toList();
            tasks.stream().flatMap(t -> t.runIds().stream()).filter(id -> !received.contains(id))
                    .forEach(id -> results.add(new RunResult(id, runs.resolve(id), RunStatus.INTERRUPTED, "stopped before the cluster"
                            + " sent it back", OptionalLong.empty(), 0, Optional.empty(), List.of())));
        }
        return results;
    }

    private List<RunResult> receive(Done d) throws IOException {
        List<RunResult> out = new ArrayList<>();
        if (d.error() != null) {
            Throwable cause = d.error() instanceof CompletionException && d.error().getCause() != null ? d.error().getCause() : d.error();
            if (cause instanceof CancellationException) {
                return out;
            }
            // The cluster gave up on the task (its executors kept dying, or it could not be sent): nothing is written;
            // the sweep ends incomplete once the other tasks are in, and a resume redoes these runs.
            gaveUp.addAll(d.task().runIds());
            if (firstReason == null) {
                firstReason = String.valueOf(cause.getMessage()).lines().findFirst().orElse(cause.getClass().getSimpleName());
            }
            return out;
        }
        ClusterResult result = d.result();
        if (result.setupProblem().isPresent()) {
            throw new ConfigException(result.setupProblem().get() + "; the runs finished so far are kept: fix the worker and"
                    + " continue with --resume");
        }
        for (ClusterResult.RunFiles f : result.runs()) {
            f.install(runs, incoming);
            RunResult r = f.toResult(runs.resolve(f.runId()), result.worker());
            out.add(r);
            listener.finished(r);
        }
        return out;
    }
}
