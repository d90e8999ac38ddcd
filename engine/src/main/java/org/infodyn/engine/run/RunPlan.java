package org.infodyn.engine.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.Variable;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.task.Task;
import org.infodyn.engine.experiment.ActivationsSpec;
import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.experiment.PhaseSpec;
import org.infodyn.engine.experiment.ScheduleSpec;
import org.infodyn.engine.plugin.Registry.BackendChoice;
import org.infodyn.engine.experiment.ReduceSetting;
import org.infodyn.engine.plugin.Registry;

/**
 * Everything one run needs, resolved and validated before anything is written: made by
 * {@link RunPlanner}, executed by {@link Runner}.
 *
 * @param experiment the experiment (overrides applied)
 * @param seed the run seed
 * @param runId stable, readable id ({@code <name>-<backend>-seed<seed>}), also the directory name
 * @param backend the chosen backend and why
 * @param buildOptions device and threads
 * @param task the task plugin
 * @param taskParams its bound parameters
 * @param dataset the generated dataset
 * @param modelFactory the model plugin
 * @param modelParams its bound parameters
 * @param model the network for the first phase's target
 * @param phaseTargets the target variable of each phase
 * @param training step arithmetic
 * @param probeSteps the global steps to probe at, sorted
 * @param probes the resolved probe blocks
 * @param fitIndices the train-split samples the probes fit on (a seeded subset)
 * @param derivedSeeds the seed of each random purpose
 * @param replicasThatFit how many runs like this one a replica group can hold in this machine's memory
 * @param adjustments settings the run could not honour as written, and what it does instead, one line each
 */
public record RunPlan(Experiment experiment, long seed, String runId, BackendChoice backend, BuildOptions buildOptions,
        Task task, Params taskParams, Dataset dataset, ModelFactory modelFactory, Params modelParams, ModelSpec model,
        List<String> phaseTargets, TrainingPlan training, List<Long> probeSteps, List<PlannedProbe> probes,
        int[] fitIndices, Map<String, Long> derivedSeeds, int replicasThatFit, List<String> adjustments) {

    /** Whether a probe of this run inspects gradients (so the run trains as a single model, never in a replica group). */
    public boolean needsGradients() {
        return probes.stream().anyMatch(p -> p.configured().inspection().map(i -> i.needsGradients()).orElse(false));
    }

    /**
     * The backend's float64 matrix work on this run's device when a probe asks for it
     * ({@link org.infodyn.api.probe.ConfiguredProbe#deviceAlgebraSetting()}; the planner has
     * checked that the backend has it), else empty. A new object at every call: a run asks once
     * and hands the same one to every point, so that what its probes cache per algebra is shared.
     */
    public Optional<DeviceAlgebra> deviceAlgebra() {
        boolean asked = probes.stream().anyMatch(p -> p.configured().deviceAlgebraSetting().isPresent());
        return asked ? backend.backend().algebra(buildOptions) : Optional.empty();
    }

    /** The variable phase {@code phase} trains on. */
    public Variable target(int phase) {
        return dataset.variable(phaseTargets.get(phase)).orElseThrow();
    }

    /** The layers whose activations any probe reads (its own or its companions), in model order. */
    public List<String> probedLayers() {
        List<String> out = new ArrayList<>();
        for (String l : model.layerNames()) {
            if (probes.stream().anyMatch(p -> p.probe().readsActivations() && p.layers().contains(l)
                    || p.configured().companionLayers().contains(l))) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * The effective experiment: the file's content with every default filled in, including the
     * plugins' parameters, as recorded in the manifest.
     */
    public Map<String, Object> effectiveExperiment() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", experiment.name());
        if (!experiment.description().isEmpty()) {
            m.put("description", experiment.description());
        }
        m.put("seeds", experiment.seeds());
        m.put("backend", backend.backend().id());
        m.put("device", buildOptions.device());
        m.put("threads", buildOptions.threads());
        m.put("task", component(task.id(), taskParams));
        m.put("model", component(modelFactory.id(), modelParams));
        List<Object> phases = new ArrayList<>();
        for (int i = 0; i < experiment.phases().size(); i++) {
            PhaseSpec p = experiment.phases().get(i);
            Map<String, Object> ph = new LinkedHashMap<>();
            p.epochs().ifPresent(e -> ph.put("epochs", e));
            p.steps().ifPresent(s -> ph.put("steps", s));
            ph.put("lr", p.sgd().learningRate());
            ph.put("batch", p.batch());
            ph.put("momentum", p.sgd().momentum());
            ph.put("weightDecay", p.sgd().weightDecay());
            ph.put("target", phaseTargets.get(i));
            ph.put("freshHead", p.freshHead());
            phases.add(ph);
        }
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("phases", phases);
        train.put("divergence", experiment.divergence());
        m.put("train", train);
        List<Object> probeList = new ArrayList<>();
        for (PlannedProbe p : probes) {
            Map<String, Object> pm = component(p.probe().id(), p.configured().params());
            pm.put("label", p.label());
            pm.put("layers", p.layers());
            pm.put("variables", p.variables());
            pm.put(ReduceSetting.FIELD, p.spec().reduce().text());
            Map<String, Object> reductions = new LinkedHashMap<>();
            p.layers().forEach(l -> reductions.put(l, p.reductions().get(l).describe()));
            pm.put("reductions", reductions);
            probeList.add(pm);
        }
        m.put("probes", probeList);
        ScheduleSpec s = experiment.schedule();
        List<Object> every = new ArrayList<>();
        for (ScheduleSpec.Every e : s.every()) {
            Map<String, Object> em = new LinkedHashMap<>();
            e.until().ifPresent(u -> em.put("until", u));
            em.put("epochs", e.epochs());
            every.add(em);
        }
        Map<String, Object> sched = new LinkedHashMap<>();
        sched.put("steps", s.steps());
        sched.put("every", every);
        m.put("schedule", sched);
        experiment.activations().ifPresent(a -> {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("steps", a.steps().stream().map(x -> x == ActivationsSpec.LAST ? (Object) "last" : (Object) x).toList());
            am.put("layers", a.layers());
            am.put("maxMegabytes", a.maxMegabytes());
            m.put("activations", am);
        });
        if (!experiment.overrides().isEmpty()) {
            m.put("overrides", experiment.overrides().texts());
        }
        return m;
    }

    private static Map<String, Object> component(String id, Params params) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.putAll(params.asMap());
        return m;
    }
}
