package org.infodyn.engine.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.Infodyn;
import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.DeviceInfo;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;

/** The content of a run's {@code manifest.json}: provenance when the run starts, its ending when it ends. */
final class RunManifest {
    private RunManifest() {
    }

    /** Everything known before training: versions, the effective experiment, seeds, backend, model, data, plan, machine. */
    static Map<String, Object> atStart(RunPlan plan, BackendInfo info, DeviceInfo device) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("infodyn_version", Infodyn.version());
        m.put("run_id", plan.runId());
        m.put("status", RunStatus.RUNNING.id());
        m.put("seed", plan.seed());
        m.put("derived_seeds", plan.derivedSeeds());
        m.put("experiment", plan.effectiveExperiment());
        m.put("backend", backend(plan, info, device));
        m.put("model", model(plan.model()));
        m.put("dataset", dataset(plan));
        m.put("training", training(plan));
        m.put("probe_headlines", headlines(plan));
        if (!plan.adjustments().isEmpty()) {
            m.put("adjustments", plan.adjustments());
        }
        m.put("environment", Environment.describe());
        return m;
    }

    /** Per probe label, the metrics its plugin puts in front (the report draws them). */
    private static Map<String, Object> headlines(RunPlan plan) {
        Map<String, Object> h = new LinkedHashMap<>();
        for (PlannedProbe p : plan.probes()) {
            h.put(p.label(), p.probe().headlineMetrics());
        }
        return h;
    }

    private static Map<String, Object> backend(RunPlan plan, BackendInfo info, DeviceInfo device) {
        Backend backend = plan.backend().backend();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", backend.id());
        b.put("name", backend.displayName());
        b.put("chosen_because", plan.backend().reason());
        b.put("versions", info.versions());
        b.put("device", plan.buildOptions().device());
        b.put("device_used", device.toMap());
        b.put("devices", info.devices().stream().map(DeviceInfo::id).toList());
        b.put("threads", plan.buildOptions().threads());
        b.put("deterministic", info.deterministic());
        b.put("notes", info.notes());
        return b;
    }

    private static Map<String, Object> model(ModelSpec spec) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", spec.id());
        model.put("input_shape", spec.inputShape());
        model.put("layers", spec.describe());
        model.put("parameters", spec.parameters().stream().mapToLong(ParameterSpec::size).sum());
        return model;
    }

    private static Map<String, Object> dataset(RunPlan plan) {
        Dataset data = plan.dataset();
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
        // which class index means what: for a table's text labels the coding is the task's, not the user's
        Map<String, Object> names = new LinkedHashMap<>();
        data.variables().values().forEach(v -> names.put(v.name(), v.classNames()));
        d.put("class_names", names);
        return d;
    }

    private static Map<String, Object> training(RunPlan plan) {
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
        return t;
    }

    /**
     * How the run ended, added to the manifest.
     *
     * @param timing seconds by what they were spent on
     */
    static void atEnd(Map<String, Object> m, RunResult result, String finished, Map<String, Object> timing) {
        m.put("status", result.status().id());
        if (!result.reason().isEmpty()) {
            m.put("reason", result.reason());
        }
        String stepField = result.status() == RunStatus.INTERRUPTED ? "interrupted_at_step" : "diverged_at_step";
        result.stoppedAtStep().ifPresent(s -> m.put(stepField, s));
        m.put("finished", finished);
        m.put("timing", timing);
    }
}
