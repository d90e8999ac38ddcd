package org.infodyn.api.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.infodyn.api.Infodyn;
import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Variable;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.output.MetricRow;
import org.infodyn.api.output.MetricsCsv;
import org.infodyn.api.output.ParametersFile;
import org.infodyn.api.output.RunDirectory;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;

/**
 * Executes a {@link RunPlan}: trains phase by phase with the api's batch order, and at every
 * scheduled step freezes the probed layers' activations and hands them to the probes.
 *
 * <p>Probing overlaps training: the activations of a probe point are captured on the training
 * thread, then the probe fits run on a worker pool while training goes on. Each (probe, layer,
 * variable) series runs its points strictly in order (so warm starts are deterministic), and
 * rows are written in step order, so results do not depend on thread timing.
 */
public final class Runner {
    /** The probe label and layer of the training metrics. */
    public static final String TRAIN_PROBE = "train";
    /** At most this many probe points wait for their fits before training pauses. */
    private static final int MAX_PENDING = 4;

    /** CPU time of the probe threads, not wall time: the machine may be busy with other work. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private final int probeThreads;

    /** @param probeThreads worker threads for probe fits, ≥ 1 */
    public Runner(int probeThreads) {
        if (probeThreads < 1) {
            throw new IllegalArgumentException("probeThreads must be ≥ 1, got " + probeThreads);
        }
        this.probeThreads = probeThreads;
    }

    /** A runner with one probe worker per available processor. */
    public static Runner withDefaultThreads() {
        return new Runner(Runtime.getRuntime().availableProcessors());
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
        Backend backend = plan.backend().backend();
        BackendInfo info = backend.describe();
        try (RunDirectory dir = RunDirectory.create(parentDir, plan.runId())) {
            return new Execution(plan, info, dir, listener).execute();
        }
    }

    /** The mutable state of one run. */
    private final class Execution {
        private final RunPlan plan;
        private final BackendInfo info;
        private final RunDirectory dir;
        private final RunListener listener;
        private final Dataset data;
        private final Map<String, Object> manifest;
        private final Map<String, ProbeSeries> series = new HashMap<>();
        private final Map<String, CompletableFuture<?>> lastOfSeries = new HashMap<>();
        private final ArrayDeque<PendingPoint> pending = new ArrayDeque<>();
        private final AtomicLong probeNanos = new AtomicLong();
        private long trainNanos;
        private long activationNanos;
        private long waitNanos;
        private double lossSum;
        private long correctSum;
        private long seenSum;
        private ModelSpec spec;
        private MetricsCsv csv;
        private ExecutorService pool;

        Execution(RunPlan plan, BackendInfo info, RunDirectory dir, RunListener listener) {
            this.plan = plan;
            this.info = info;
            this.dir = dir;
            this.listener = listener;
            this.data = plan.dataset();
            this.spec = plan.model();
            this.manifest = baseManifest();
        }

        RunResult execute() throws IOException {
            Instant start = Instant.now();
            long t0 = System.nanoTime();
            manifest.put("started", start.toString());
            dir.writeManifest(manifest);
            dir.event("run-started", Map.of("run_id", plan.runId(), "total_steps", plan.training().totalSteps(),
                    "probe_points", plan.probeSteps().size()));
            listener.started(plan, dir.path());
            csv = new MetricsCsv(dir.path());
            AtomicInteger threadNo = new AtomicInteger();
            pool = Executors.newFixedThreadPool(probeThreads, r -> {
                Thread t = new Thread(r, "infodyn-probe-" + threadNo.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            RunStatus status = RunStatus.COMPLETED;
            String reason = "";
            OptionalLong divergedAt = OptionalLong.empty();
            Optional<Throwable> failure = Optional.empty();
            Model model = null;
            try {
                Parameters initial = Initializer.initialize(spec, plan.derivedSeeds().get(Seeds.INIT));
                model = plan.backend().backend().build(spec, initial, plan.buildOptions());
                Outcome outcome = train(model);
                model = outcome.model;
                drain(true);
                if (outcome.divergedAt.isPresent()) {
                    status = RunStatus.DIVERGED;
                    divergedAt = outcome.divergedAt;
                    reason = "training loss became " + outcome.badLoss + " at step " + divergedAt.getAsLong();
                } else {
                    ParametersFile.write(dir.checkpoint("final.params"), model.parameters());
                }
            } catch (Exception | Error e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                status = RunStatus.FAILED;
                reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
                failure = Optional.of(cause);
                pending.clear();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            } finally {
                pool.shutdownNow();
                if (model != null) {
                    model.close();
                }
                csv.finish();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            manifest.put("status", status.id());
            if (!reason.isEmpty()) {
                manifest.put("reason", reason);
            }
            divergedAt.ifPresent(s -> manifest.put("diverged_at_step", s));
            manifest.put("finished", Instant.now().toString());
            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("wall_seconds", seconds);
            timing.put("train_seconds", trainNanos / 1e9);
            timing.put("activation_seconds", activationNanos / 1e9);
            timing.put("probe_cpu_seconds", probeNanos.get() / 1e9);
            timing.put("waiting_for_probes_seconds", waitNanos / 1e9);
            manifest.put("timing", timing);
            dir.writeManifest(manifest);
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("status", status.id());
            ev.put("seconds", seconds);
            if (!reason.isEmpty()) {
                ev.put("reason", reason);
            }
            dir.event("run-finished", ev);
            RunResult result = new RunResult(plan.runId(), dir.path(), status, reason, divergedAt, seconds, failure);
            listener.finished(result);
            return result;
        }

        private Map<String, Object> baseManifest() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("infodyn_version", Infodyn.version());
            m.put("run_id", plan.runId());
            m.put("status", RunStatus.RUNNING.id());
            m.put("seed", plan.seed());
            m.put("derived_seeds", plan.derivedSeeds());
            m.put("experiment", plan.effectiveExperiment());
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("id", info.id());
            b.put("name", info.displayName());
            b.put("chosen_because", plan.backend().reason());
            b.put("versions", info.versions());
            b.put("device", plan.buildOptions().device());
            b.put("devices", info.devices());
            b.put("threads", plan.buildOptions().threads());
            b.put("deterministic", info.deterministic());
            b.put("notes", info.notes());
            m.put("backend", b);
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", spec.id());
            model.put("input_shape", spec.inputShape());
            model.put("layers", spec.describe());
            model.put("parameters", spec.parameters().stream().mapToLong(ParameterSpec::size).sum());
            m.put("model", model);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("task", data.taskId());
            d.put("samples", data.size());
            d.put("sample_shape", data.sampleShape());
            d.put("train", data.trainIndices().length);
            d.put("probe", data.probeIndices().length);
            d.put("probe_fit_samples", plan.fitIndices().length);
            Map<String, Object> vars = new LinkedHashMap<>();
            data.variables().values().forEach(v -> vars.put(v.name(), v.classes()));
            d.put("variables", vars);
            m.put("dataset", d);
            List<Object> phases = new ArrayList<>();
            for (TrainingPlan.Phase p : plan.training().phases()) {
                Map<String, Object> ph = new LinkedHashMap<>();
                ph.put("steps", p.steps());
                ph.put("steps_per_epoch", p.stepsPerEpoch());
                ph.put("start_step", p.startStep());
                ph.put("epochs", p.endEpoch() - p.startEpoch());
                phases.add(ph);
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("total_steps", plan.training().totalSteps());
            t.put("phases", phases);
            t.put("probe_steps", plan.probeSteps());
            m.put("training", t);
            m.put("environment", Environment.describe());
            return m;
        }

        private record Outcome(Model model, OptionalLong divergedAt, double badLoss) {
        }

        private Outcome train(Model model) throws Exception {
            List<Long> probeSteps = plan.probeSteps();
            int next = 0;
            long step = 0;
            int[] trainIdx = data.trainIndices();
            int n = trainIdx.length;
            FloatTensor inputs = data.inputs();
            for (TrainingPlan.Phase phase : plan.training().phases()) {
                Variable target = RunPlanner.target(plan, phase.index());
                if (phase.index() > 0) {
                    model.resetOptimizerState();
                    if (phase.spec().freshHead()) {
                        model = freshHead(model, phase.index(), target.classes());
                    }
                }
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("phase", phase.index());
                ev.put("start_step", phase.startStep());
                ev.put("steps", phase.steps());
                ev.put("target", target.name());
                dir.event("phase-started", ev);
                if (phase.index() == 0 && !probeSteps.isEmpty() && probeSteps.get(0) == 0) {
                    probe(model, 0); // before the first update
                    next++;
                }
                SgdSettings sgd = phase.spec().sgd();
                int batch = phase.spec().batch();
                int spe = phase.stepsPerEpoch();
                Rng order = new Rng(Seeds.derive(plan.derivedSeeds().get(Seeds.BATCHES), "phase" + phase.index()));
                int[] epochOrder = new int[n];
                int[] labels = target.labels();
                for (long k = 0; k < phase.steps(); k++) {
                    int inEpoch = (int) (k % spe);
                    if (inEpoch == 0) {
                        int[] perm = order.permutation(n);
                        for (int i = 0; i < n; i++) {
                            epochOrder[i] = trainIdx[perm[i]];
                        }
                    }
                    int from = inEpoch * batch;
                    int to = Math.min(from + batch, n);
                    FloatTensor x = inputs.gatherRows(epochOrder, from, to);
                    int[] y = new int[to - from];
                    for (int i = from; i < to; i++) {
                        y[i - from] = labels[epochOrder[i]];
                    }
                    long t = System.nanoTime();
                    StepResult r = model.step(x, y, sgd);
                    trainNanos += System.nanoTime() - t;
                    step++;
                    if (!Double.isFinite(r.loss())) {
                        Map<String, Object> dv = new LinkedHashMap<>();
                        dv.put("step", step);
                        dv.put("loss", String.valueOf(r.loss()));
                        dir.event("diverged", dv);
                        return new Outcome(model, OptionalLong.of(step), r.loss());
                    }
                    lossSum += r.loss() * r.samples();
                    correctSum += r.correct();
                    seenSum += r.samples();
                    listener.step(step, plan.training().totalSteps(), r.loss());
                    if (next < probeSteps.size() && probeSteps.get(next) == step) {
                        probe(model, step);
                        next++;
                    }
                }
            }
            return new Outcome(model, OptionalLong.empty(), 0);
        }

        /** Replaces the output layer's parameters (rebuilding the network when the class count changes). */
        private Model freshHead(Model model, int phase, int classes) {
            long seed = Seeds.derive(plan.derivedSeeds().get(Seeds.INIT), "phase" + phase + "/head");
            String head = spec.headLayer().name();
            if (classes == spec.outputClasses()) {
                model.setParameters(Initializer.reinitializeLayer(spec, model.parameters(), head, seed));
                return model;
            }
            ModelSpec newSpec = plan.modelFactory().create(plan.modelParams(), data.sampleShape(), classes);
            Parameters old = model.parameters();
            Map<String, FloatTensor> values = new LinkedHashMap<>();
            for (ParameterSpec p : newSpec.parameters()) {
                values.put(p.name(), p.layer().equals(head) ? Initializer.draw(p, seed) : old.get(p.name()));
            }
            model.close();
            spec = newSpec;
            return plan.backend().backend().build(newSpec, new Parameters(values), plan.buildOptions());
        }

        private void probe(Model model, long step) throws Exception {
            TrainingPlan.Phase phase = plan.training().phaseOf(step);
            double epoch = plan.training().epochAt(step);
            Variable target = RunPlanner.target(plan, phase.index());
            List<MetricRow> trainRows = new ArrayList<>();
            if (seenSum > 0) {
                trainRows.add(row(phase, epoch, step, "output", target.name(), TRAIN_PROBE, "loss", lossSum / seenSum));
                trainRows.add(row(phase, epoch, step, "output", target.name(), TRAIN_PROBE, "accuracy", (double) correctSum / seenSum));
            }
            lossSum = 0;
            correctSum = 0;
            seenSum = 0;

            long t = System.nanoTime();
            int[] fit = plan.fitIndices();
            int[] held = data.probeIndices();
            String outputLayer = spec.outputLayer().name();
            Set<String> layers = new LinkedHashSet<>(plan.probedLayers());
            layers.add(outputLayer);
            Map<String, FloatTensor> acts = Activations.capture(model, data.inputs(), ProbeInputs.rows(fit, held), List.copyOf(layers));
            activationNanos += System.nanoTime() - t;

            StepResult heldOut = StepResult.fromLogits(acts.get(outputLayer).data(), fit.length, target.labelsOf(held),
                    spec.outputSize(outputLayer));
            trainRows.add(row(phase, epoch, step, "output", target.name(), TRAIN_PROBE, "heldout_loss", heldOut.loss()));
            trainRows.add(row(phase, epoch, step, "output", target.name(), TRAIN_PROBE, "heldout_accuracy", heldOut.accuracy()));

            ProbeInputs inputs = new ProbeInputs(acts, fit, held);
            List<CompletableFuture<List<MetricRow>>> jobs = new ArrayList<>();
            for (PlannedProbe p : plan.probes()) {
                int fitCount = Math.min(p.configured().fitSamples(), fit.length);
                for (String layer : p.layers()) {
                    for (String varName : p.variables()) {
                        Variable v = data.variable(varName).orElseThrow();
                        ProbeData pd = inputs.data(step, layer, v, fitCount);
                        String key = p.label() + "\u0000" + layer + "\u0000" + varName;
                        ProbeSeries s = series.computeIfAbsent(key, x -> p.configured().open(layer, varName, v.classes(),
                                Seeds.derive(plan.derivedSeeds().get(Seeds.PROBES), p.label() + "/" + layer + "/" + varName)));
                        CompletableFuture<?> prev = lastOfSeries.getOrDefault(key, CompletableFuture.completedFuture(null));
                        CompletableFuture<List<MetricRow>> job = prev.thenApplyAsync(ignored -> {
                            long j0 = CPU.getCurrentThreadCpuTime();
                            List<Measurement> ms = s.measure(pd);
                            probeNanos.addAndGet(CPU.getCurrentThreadCpuTime() - j0);
                            List<MetricRow> out = new ArrayList<>(ms.size());
                            for (Measurement m : ms) {
                                out.add(row(phase, epoch, step, layer, varName, p.label(), m.metric(), m.value()));
                            }
                            return out;
                        }, pool);
                        lastOfSeries.put(key, job);
                        jobs.add(job);
                    }
                }
            }
            pending.add(new PendingPoint(step, epoch, trainRows, jobs));
            drain(false);
        }

        private MetricRow row(TrainingPlan.Phase phase, double epoch, long step, String layer, String variable,
                String probe, String metric, double value) {
            return new MetricRow(plan.runId(), plan.backend().backend().id(), plan.seed(), phase.index(), epoch, step,
                    layer, variable, probe, metric, value);
        }

        /** Writes finished probe points in step order; with {@code all}, waits for every one. */
        private void drain(boolean all) throws IOException {
            while (!pending.isEmpty()) {
                PendingPoint head = pending.peek();
                boolean mustWait = all || pending.size() > MAX_PENDING;
                if (!mustWait && !head.isDone()) {
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
    }

    private record PendingPoint(long step, double epoch, List<MetricRow> trainRows,
            List<CompletableFuture<List<MetricRow>>> jobs) {
        boolean isDone() {
            return jobs.stream().allMatch(CompletableFuture::isDone);
        }
    }
}
