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

import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Variable;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.random.Seeds;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.infodyn.engine.output.ParametersFile;
import org.infodyn.engine.output.RunDirectory;

/**
 * Executes a {@link RunPlan}: trains phase by phase on the engine's batches ({@link BatchOrder}),
 * and at every scheduled step freezes the probed layers' activations ({@link ProbePoint}) and
 * hands them to the probes, whose fits overlap training ({@link ProbePipeline}).
 */
public final class Runner {
    /** The probe label and layer of the training metrics. */
    public static final String TRAIN_PROBE = "train";

    private final int probeThreads;

    /** @param probeThreads worker threads for probe fits, ≥ 1 */
    public Runner(int probeThreads) {
        if (probeThreads < 1) {
            throw new IllegalArgumentException("probeThreads must be ≥ 1, got " + probeThreads);
        }
        this.probeThreads = probeThreads;
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
        BackendInfo info = plan.backend().backend().describe();
        try (RunDirectory dir = RunDirectory.create(parentDir, plan.runId())) {
            return new Execution(plan, info, dir, listener).execute();
        }
    }

    /** How training ended: the model (rebuilt if a phase changed its head) and why it diverged, if it did. */
    private record Trained(Model model, OptionalLong divergedAt, String reason) {
    }

    /** The mutable state of one run. */
    private final class Execution {
        private final RunPlan plan;
        private final RunDirectory dir;
        private final RunListener listener;
        private final Map<String, Object> manifest;
        private final TrainingMetrics sinceLastPoint = new TrainingMetrics();
        private long trainNanos;
        private long activationNanos;
        private MetricsCsv csv;
        private ProbePipeline probes;

        Execution(RunPlan plan, BackendInfo info, RunDirectory dir, RunListener listener) {
            this.plan = plan;
            this.dir = dir;
            this.listener = listener;
            this.manifest = RunManifest.atStart(plan, info);
        }

        RunResult execute() throws IOException {
            long t0 = System.nanoTime();
            manifest.put("started", Instant.now().toString());
            dir.writeManifest(manifest);
            dir.event("run-started", Map.of("run_id", plan.runId(), "total_steps", plan.training().totalSteps(),
                    "probe_points", plan.probeSteps().size()));
            listener.started(plan, dir.path());
            csv = new MetricsCsv(dir.path());
            probes = new ProbePipeline(plan, dir, csv, listener, probeThreads);
            RunStatus status = RunStatus.COMPLETED;
            String reason = "";
            OptionalLong divergedAt = OptionalLong.empty();
            Optional<Throwable> failure = Optional.empty();
            Model model = null;
            try {
                Parameters initial = Initializer.initialize(plan.model(), plan.derivedSeeds().get(Seeds.INIT));
                model = plan.backend().backend().build(plan.model(), initial, plan.buildOptions());
                Trained trained = train(model);
                model = trained.model();
                probes.drain(true);
                if (trained.divergedAt().isPresent()) {
                    status = RunStatus.DIVERGED;
                    divergedAt = trained.divergedAt();
                    reason = trained.reason();
                } else {
                    ParametersFile.write(dir.checkpoint("final.params"), model.parameters());
                }
            } catch (Exception | Error e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                status = RunStatus.FAILED;
                reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
                failure = Optional.of(cause);
                probes.abandon();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            } finally {
                probes.close();
                if (model != null) {
                    model.close();
                }
                csv.finish();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            RunResult result = new RunResult(plan.runId(), dir.path(), status, reason, divergedAt, seconds, failure);
            finish(result);
            listener.finished(result);
            return result;
        }

        private void finish(RunResult result) throws IOException {
            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("wall_seconds", result.seconds());
            timing.put("train_seconds", trainNanos / 1e9);
            timing.put("activation_seconds", activationNanos / 1e9);
            timing.put("probe_cpu_seconds", probes.fitSeconds());
            timing.put("waiting_for_probes_seconds", probes.waitSeconds());
            RunManifest.atEnd(manifest, result, Instant.now().toString(), timing);
            dir.writeManifest(manifest);
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("status", result.status().id());
            ev.put("seconds", result.seconds());
            if (!result.reason().isEmpty()) {
                ev.put("reason", result.reason());
            }
            dir.event("run-finished", ev);
        }

        private Trained train(Model model) throws Exception {
            Divergence divergence = new Divergence(plan.experiment().divergence());
            List<Long> probeSteps = plan.probeSteps();
            int next = 0;
            long step = 0;
            for (TrainingPlan.Phase phase : plan.training().phases()) {
                Variable target = plan.target(phase.index());
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
                BatchOrder batches = new BatchOrder(plan.dataset(), target, phase, plan.derivedSeeds().get(Seeds.BATCHES));
                for (long k = 0; k < phase.steps(); k++) {
                    BatchOrder.Batch b = batches.batch(k);
                    long t = System.nanoTime();
                    StepResult r = model.step(b.inputs(), b.labels(), phase.spec().sgd());
                    trainNanos += System.nanoTime() - t;
                    step++;
                    Optional<String> diverged = divergence.check(step, r.loss());
                    if (diverged.isPresent()) {
                        Map<String, Object> dv = new LinkedHashMap<>();
                        dv.put("step", step);
                        dv.put("loss", String.valueOf(r.loss()));
                        dv.put("reason", diverged.get());
                        dir.event("diverged", dv);
                        return new Trained(model, OptionalLong.of(step), diverged.get());
                    }
                    sinceLastPoint.add(r);
                    listener.step(step, plan.training().totalSteps(), r.loss());
                    if (next < probeSteps.size() && probeSteps.get(next) == step) {
                        probe(model, step);
                        next++;
                    }
                }
            }
            return new Trained(model, OptionalLong.empty(), "");
        }

        /** Replaces the head layer's parameters (rebuilding the network when the class count changes). */
        private Model freshHead(Model model, int phase, int classes) {
            long seed = Seeds.derive(plan.derivedSeeds().get(Seeds.INIT), "phase" + phase + "/head");
            ModelSpec spec = model.spec();
            String head = spec.headLayer().name();
            if (classes == spec.outputClasses()) {
                model.setParameters(Initializer.reinitializeLayer(spec, model.parameters(), head, seed));
                return model;
            }
            ModelSpec newSpec = plan.modelFactory().create(plan.modelParams(), plan.dataset().sampleShape(), classes);
            Parameters old = model.parameters();
            Map<String, FloatTensor> values = new LinkedHashMap<>();
            for (ParameterSpec p : newSpec.parameters()) {
                values.put(p.name(), p.layer().equals(head) ? Initializer.draw(p, seed) : old.get(p.name()));
            }
            model.close();
            return plan.backend().backend().build(newSpec, new Parameters(values), plan.buildOptions());
        }

        private void probe(Model model, long step) throws IOException {
            TrainingPlan.Phase phase = plan.training().phaseOf(step);
            double epoch = plan.training().epochAt(step);
            Variable target = plan.target(phase.index());
            ProbePipeline.RowMaker rows = (layer, variable, probe, metric, value) -> new MetricRow(plan.runId(),
                    plan.backend().backend().id(), plan.seed(), phase.index(), epoch, step, layer, variable, probe, metric, value);
            List<MetricRow> trainRows = new ArrayList<>();
            if (sinceLastPoint.any()) {
                trainRows.add(rows.row("output", target.name(), TRAIN_PROBE, "loss", sinceLastPoint.loss()));
                trainRows.add(rows.row("output", target.name(), TRAIN_PROBE, "accuracy", sinceLastPoint.accuracy()));
            }
            sinceLastPoint.reset();
            long t = System.nanoTime();
            ProbePoint point = ProbePoint.capture(plan, model, step, target);
            activationNanos += System.nanoTime() - t;
            trainRows.add(rows.row("output", target.name(), TRAIN_PROBE, "heldout_loss", point.heldOut().loss()));
            trainRows.add(rows.row("output", target.name(), TRAIN_PROBE, "heldout_accuracy", point.heldOut().accuracy()));
            probes.submit(point, epoch, trainRows, rows);
        }
    }
}
