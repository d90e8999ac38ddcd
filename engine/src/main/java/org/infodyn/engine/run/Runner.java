package org.infodyn.engine.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.backend.DeviceInfo;
import org.infodyn.api.backend.ReplicaGroup;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Variable;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.probe.NetworkFacts;
import org.infodyn.api.random.Seeds;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.infodyn.engine.output.ParametersFile;
import org.infodyn.engine.output.RunDirectory;

/**
 * Executes run plans: trains phase by phase on the engine's batches ({@link BatchOrder}), and at
 * every scheduled step freezes the probed layers' activations ({@link ProbePoint}) and hands them
 * to the probes, whose fits overlap training ({@link ProbePipeline}).
 *
 * <p>Runs whose networks have the same shape and whose training has the same step plan (seeds,
 * learning rates, momenta and weight decays may differ: {@link ReplicaGroups#compatible}) can run
 * as one replica group: one {@link ReplicaGroup} trains them together, each keeps its own
 * directory, batches, probes and outcome. A run that diverges or fails stops alone; its
 * group-mates go on.
 */
public final class Runner {
    /** The probe label and layer of the training metrics. */
    public static final String TRAIN_PROBE = "train";

    private final int probeThreads;
    private final StopSignal stop;

    /** @param probeThreads worker threads for probe fits, ≥ 1 */
    public Runner(int probeThreads) {
        this(probeThreads, new StopSignal());
    }

    /**
     * @param probeThreads worker threads for probe fits, ≥ 1
     * @param stop watched between steps and while waiting for fits: once requested, every run
     *     ends as interrupted
     */
    public Runner(int probeThreads, StopSignal stop) {
        if (probeThreads < 1) {
            throw new IllegalArgumentException("probeThreads must be ≥ 1, got " + probeThreads);
        }
        this.probeThreads = probeThreads;
        this.stop = stop;
    }

    /**
     * Runs the plan, writing {@code parentDir/<runId>/}. The backend's natives are loaded first,
     * so a backend that cannot load fails before any file is written.
     *
     * @return how the run ended; failures inside the run are reported here, not thrown
     * @throws IOException when the run directory cannot be created
     * @throws org.infodyn.api.backend.BackendUnavailableException when the backend cannot load
     */
    public RunResult run(RunPlan plan, Path parentDir, RunListener listener) throws IOException {
        return runGroup(List.of(plan), parentDir, List.of(listener)).get(0);
    }

    /**
     * Runs compatible plans as one replica group (a single plan runs on its own model), each into
     * {@code parentDir/<runId>/}.
     *
     * @param listeners one per plan
     * @return one result per plan, in order
     * @throws IllegalArgumentException when the plans cannot share a group
     */
    public List<RunResult> runGroup(List<RunPlan> plans, Path parentDir, List<RunListener> listeners) throws IOException {
        ReplicaGroups.requireCompatible(plans);
        Backend backend = plans.get(0).backend().backend();
        BackendInfo info = backend.describe();
        // a device asked for and not at hand fails here, before any file is written
        DeviceInfo device = backend.device(plans.get(0).buildOptions());
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < plans.size(); i++) {
                members.add(new Member(i, plans.get(i), info, device, RunDirectory.create(parentDir, plans.get(i).runId()),
                        listeners.get(i), plans.size()));
            }
            return new Group(members).execute();
        } finally {
            for (Member m : members) {
                m.dir.close();
            }
        }
    }

    /** How one run of a group ended, until it is written. */
    private enum State {
        TRAINING, DIVERGED, FAILED, INTERRUPTED
    }

    /** One run's own side of a group: its directory, files, probes, metrics and outcome. */
    private final class Member {
        final int index;
        final RunPlan plan;
        final RunDirectory dir;
        final RunListener listener;
        final Map<String, Object> manifest;
        final Optional<ActivationsOut> activationsOut;
        /** The backend's device algebra, for the probes that asked for it: one object for the whole run. */
        final Optional<DeviceAlgebra> algebra;
        final TrainingMetrics sinceLastPoint = new TrainingMetrics();
        final Divergence divergence;
        MetricsCsv csv;
        ProbePipeline probes;
        State state = State.TRAINING;
        OptionalLong stoppedAt = OptionalLong.empty();
        String reason = "";
        Optional<Throwable> failure = Optional.empty();
        BatchOrder batches;
        /** The parameters the run started from, for probes that inspect the network. */
        Parameters initial;

        Member(int index, RunPlan plan, BackendInfo info, DeviceInfo device, RunDirectory dir, RunListener listener, int groupSize) {
            this.index = index;
            this.plan = plan;
            this.dir = dir;
            this.listener = listener;
            this.manifest = RunManifest.atStart(plan, info, device);
            if (groupSize > 1) {
                manifest.put("replica_group", Map.of("size", groupSize, "index", index));
            }
            this.divergence = new Divergence(plan.experiment().divergence());
            this.activationsOut = ActivationsOut.of(plan);
            activationsOut.ifPresent(a -> manifest.put("activations", a.describe()));
            this.algebra = plan.deviceAlgebra();
        }

        boolean training() {
            return state == State.TRAINING;
        }

        void start() throws IOException {
            manifest.put("started", Instant.now().toString());
            dir.writeManifest(manifest);
            dir.event("run-started", Map.of("run_id", plan.runId(), "total_steps", plan.training().totalSteps(),
                    "probe_points", plan.probeSteps().size()));
            listener.started(plan, dir.path());
            csv = new MetricsCsv(dir.path());
            probes = new ProbePipeline(plan, dir, csv, listener, probeThreads, stop);
        }

        void fail(Throwable e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            state = State.FAILED;
            reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            failure = Optional.of(cause);
            if (probes != null) {
                probes.abandon();
            }
        }

        void diverge(long step, double loss, String why) throws IOException {
            Map<String, Object> dv = new LinkedHashMap<>();
            dv.put("step", step);
            dv.put("loss", String.valueOf(loss));
            dv.put("reason", why);
            dir.event("diverged", dv);
            state = State.DIVERGED;
            stoppedAt = OptionalLong.of(step);
            reason = why;
        }

        /** Ends the run on request after {@code step}: pending fits are abandoned, their rows not written. */
        void interrupt(long step) throws IOException {
            String why = "stopped by " + stop.reason().orElse("request") + " after step " + step;
            dir.event("interrupted", Map.of("step", step, "reason", why));
            state = State.INTERRUPTED;
            stoppedAt = OptionalLong.of(step);
            reason = why;
            if (probes != null) {
                probes.abandon();
            }
        }

        MetricRow row(TrainingPlan.Phase phase, double epoch, long step, String layer, String variable, String probe, String metric,
                double value) {
            return new MetricRow(plan.runId(), plan.backend().backend().id(), plan.seed(), phase.index(), epoch, step, layer, variable,
                    probe, metric, value);
        }
    }

    /** The shared side of a group: the network, the step plan, the clock. */
    private final class Group {
        private final List<Member> members;
        private final RunPlan first;
        private final TrainingPlan training;
        private long trainNanos;
        private long step; // steps trained so far
        private long activationNanos;
        private ReplicaGroup net;

        Group(List<Member> members) {
            this.members = members;
            this.first = members.get(0).plan;
            this.training = first.training();
        }

        List<RunResult> execute() throws IOException {
            long t0 = System.nanoTime();
            for (Member m : members) {
                m.start();
            }
            try {
                for (Member m : members) {
                    m.initial = Initializer.initialize(m.plan.model(), m.plan.derivedSeeds().get(Seeds.INIT));
                }
                net = build(first.model(), members.stream().map(m -> m.initial).toList());
                train();
                for (Member m : members) {
                    finishTraining(m);
                }
            } catch (ProbePipeline.Stopped e) {
                interruptAll();
            } catch (Exception | Error e) {
                for (Member m : members) {
                    if (m.state != State.FAILED) {
                        m.fail(e); // the shared network failed: every run with it
                    }
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            } finally {
                if (net != null) {
                    net.close();
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<RunResult> results = new ArrayList<>();
            for (Member m : members) {
                results.add(end(m, seconds));
            }
            return results;
        }

        /** One model for one run (exactly as before groups existed); the backend's group for several. */
        private ReplicaGroup build(ModelSpec spec, List<Parameters> initial) {
            Backend backend = first.backend().backend();
            if (initial.size() == 1) {
                return ReplicaGroup.sequential(List.of(backend.build(spec, initial.get(0), first.buildOptions())));
            }
            return backend.buildReplicas(spec, initial, first.buildOptions());
        }

        /** After training: the fits still pending, then the trained parameters of a completed run. */
        private void finishTraining(Member m) throws IOException {
            if (m.state == State.FAILED || m.state == State.INTERRUPTED) {
                return;
            }
            try {
                m.probes.drain(true);
                if (m.state == State.TRAINING) {
                    ParametersFile.write(m.dir.checkpoint("final.params"), net.parameters(m.index));
                }
            } catch (ProbePipeline.Stopped e) {
                interruptAll();
            } catch (Exception | Error e) {
                m.fail(e);
            }
        }

        /** Every run still going ends as interrupted (those that already ended keep their outcome). */
        private void interruptAll() throws IOException {
            for (Member m : members) {
                if (m.state == State.TRAINING) {
                    m.interrupt(step);
                }
            }
        }

        private RunResult end(Member m, double seconds) throws IOException {
            m.probes.close();
            m.plan.probes().forEach(p -> p.configured().release()); // the plan may outlive the run; its caches need not
            if (m.state == State.INTERRUPTED) {
                m.csv.close(); // unfinished: the measurements so far stay in metrics.csv.partial
            } else {
                m.csv.finish();
            }
            RunStatus status = switch (m.state) {
                case TRAINING -> RunStatus.COMPLETED;
                case DIVERGED -> RunStatus.DIVERGED;
                case FAILED -> RunStatus.FAILED;
                case INTERRUPTED -> RunStatus.INTERRUPTED;
            };
            Map<String, Map<String, Object>> notConverged = m.probes.notConverged();
            List<String> warnings = new ArrayList<>();
            notConverged.forEach((label, c) -> warnings.add(label + ": " + c.get("not_converged") + " of " + c.get("of")
                    + " measurements stopped at their estimator's budget (" + c.get("metric") + " = 0, first at step "
                    + c.get("first_step") + "); those values are less certain: raise the probe's budget or see the manifest"));
            RunResult result = new RunResult(m.plan.runId(), m.dir.path(), status, m.reason, m.stoppedAt, seconds, m.failure, warnings);
            if (!notConverged.isEmpty()) {
                m.manifest.put("not_converged", notConverged);
            }
            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("wall_seconds", seconds);
            timing.put("train_seconds", trainNanos / 1e9);
            timing.put("activation_seconds", activationNanos / 1e9);
            timing.put("probe_cpu_seconds", m.probes.fitSeconds());
            timing.put("waiting_for_probes_seconds", m.probes.waitSeconds());
            RunManifest.atEnd(m.manifest, result, Instant.now().toString(), timing);
            m.dir.writeManifest(m.manifest);
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("status", status.id());
            ev.put("seconds", seconds);
            if (!m.reason.isEmpty()) {
                ev.put("reason", m.reason);
            }
            m.dir.event("run-finished", ev);
            m.listener.finished(result);
            return result;
        }

        private List<Member> training() {
            return members.stream().filter(Member::training).toList();
        }

        private void train() throws Exception {
            List<Long> probeSteps = first.probeSteps();
            int next = 0;
            step = 0;
            for (TrainingPlan.Phase phase : training.phases()) {
                if (phase.index() > 0) {
                    net.resetOptimizerState();
                    if (phase.spec().freshHead()) {
                        freshHead(phase.index());
                    }
                }
                for (Member m : training()) {
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("phase", phase.index());
                    ev.put("start_step", phase.startStep());
                    ev.put("steps", phase.steps());
                    ev.put("target", m.plan.target(phase.index()).name());
                    m.dir.event("phase-started", ev);
                    m.batches = new BatchOrder(m.plan.dataset(), m.plan.target(phase.index()), phase,
                            m.plan.derivedSeeds().get(Seeds.BATCHES));
                }
                if (phase.index() == 0 && !probeSteps.isEmpty() && probeSteps.get(0) == 0) {
                    probe(0); // before the first update
                    next++;
                }
                for (long k = 0; k < phase.steps(); k++) {
                    List<Member> active = training();
                    if (active.isEmpty()) {
                        return;
                    }
                    if (stop.isRequested()) {
                        interruptAll();
                        return;
                    }
                    List<ReplicaGroup.ReplicaBatch> batches = new ArrayList<>(active.size());
                    for (Member m : active) {
                        BatchOrder.Batch b = m.batches.batch(k);
                        batches.add(new ReplicaGroup.ReplicaBatch(m.index, b.inputs(), b.labels(),
                                m.plan.experiment().phases().get(phase.index()).sgd()));
                    }
                    long t = System.nanoTime();
                    List<StepResult> results = net.step(batches);
                    trainNanos += System.nanoTime() - t;
                    step++;
                    for (int i = 0; i < active.size(); i++) {
                        Member m = active.get(i);
                        StepResult r = results.get(i);
                        Optional<String> diverged = m.divergence.check(step, r.loss());
                        if (diverged.isPresent()) {
                            m.diverge(step, r.loss(), diverged.get());
                            continue;
                        }
                        m.sinceLastPoint.add(r);
                        m.listener.step(step, training.totalSteps(), r.loss());
                    }
                    if (next < probeSteps.size() && probeSteps.get(next) == step) {
                        probe(step);
                        next++;
                    }
                }
            }
        }

        /** Re-initialises each run's head layer (rebuilding the group when the class count changes). */
        private void freshHead(int phase) {
            ModelSpec spec = net.spec();
            String head = spec.headLayer().name();
            int classes = first.target(phase).classes();
            if (classes == spec.outputClasses()) {
                for (Member m : members) {
                    long seed = Seeds.derive(m.plan.derivedSeeds().get(Seeds.INIT), "phase" + phase + "/head");
                    net.setParameters(m.index, Initializer.reinitializeLayer(spec, net.parameters(m.index), head, seed));
                }
                return;
            }
            ModelSpec newSpec = first.modelFactory().create(first.modelParams(), first.dataset().sampleShape(), classes);
            List<Parameters> carried = new ArrayList<>();
            for (Member m : members) {
                long seed = Seeds.derive(m.plan.derivedSeeds().get(Seeds.INIT), "phase" + phase + "/head");
                Parameters old = net.parameters(m.index);
                Map<String, FloatTensor> values = new LinkedHashMap<>();
                for (ParameterSpec p : newSpec.parameters()) {
                    values.put(p.name(), p.layer().equals(head) ? Initializer.draw(p, seed) : old.get(p.name()));
                }
                carried.add(new Parameters(values));
            }
            net.close();
            net = null;
            net = build(newSpec, carried);
        }

        /** A probe point for every run still training: activations of all at once, then each run's fits. */
        private void probe(long step) throws IOException {
            List<Member> active = training();
            if (active.isEmpty()) {
                return;
            }
            TrainingPlan.Phase phase = training.phaseOf(step);
            double epoch = training.epochAt(step);
            long t = System.nanoTime();
            List<Map<String, FloatTensor>> acts = Activations.capture(net, active.stream().map(m -> m.index).toList(),
                    active.stream().map(m -> m.plan.dataset().inputs()).toList(), active.stream().map(m -> ProbePoint.rows(m.plan)).toList(),
                    ProbePoint.layers(first, net.spec()));
            activationNanos += System.nanoTime() - t;
            for (int i = 0; i < active.size(); i++) {
                Member m = active.get(i);
                try {
                    submit(m, phase, epoch, step, acts.get(i));
                } catch (ProbePipeline.Stopped e) {
                    throw e;
                } catch (Exception | Error e) {
                    m.fail(e); // a probe of this run failed: the others go on
                }
            }
        }

        private void submit(Member m, TrainingPlan.Phase phase, double epoch, long step, Map<String, FloatTensor> acts) throws IOException {
            Variable target = m.plan.target(phase.index());
            List<MetricRow> trainRows = new ArrayList<>();
            if (m.sinceLastPoint.any()) {
                trainRows.add(m.row(phase, epoch, step, "output", target.name(), TRAIN_PROBE, "loss", m.sinceLastPoint.loss()));
                trainRows.add(m.row(phase, epoch, step, "output", target.name(), TRAIN_PROBE, "accuracy", m.sinceLastPoint.accuracy()));
            }
            m.sinceLastPoint.reset();
            if (m.activationsOut.isPresent() && m.activationsOut.get().savesAt(step)) {
                m.activationsOut.get().write(m.dir.path(), m.plan, step, acts);
            }
            Map<String, NetworkFacts> facts = Inspections.any(m.plan)
                    ? Inspections.run(m.plan, Inspections.of(m.plan, net, m.index, m.initial), step) : Map.of();
            ProbePoint point = ProbePoint.of(m.plan, net.spec(), step, target, acts, facts, m.algebra);
            trainRows.add(m.row(phase, epoch, step, "output", target.name(), TRAIN_PROBE, "heldout_loss", point.heldOut().loss()));
            trainRows.add(m.row(phase, epoch, step, "output", target.name(), TRAIN_PROBE, "heldout_accuracy", point.heldOut().accuracy()));
            m.probes.submit(point, epoch, trainRows, (layer, variable, probe, metric, value) -> m.row(phase, epoch, step, layer,
                    variable, probe, metric, value));
        }
    }
}
