package org.infodyn.api.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.Variable;
import org.infodyn.api.experiment.Experiment;
import org.infodyn.api.experiment.PhaseSpec;
import org.infodyn.api.experiment.ProbeSpec;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.plugin.Registry;
import org.infodyn.api.plugin.Registry.BackendChoice;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.Probe;
import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;
import org.infodyn.api.task.Task;

/**
 * Resolves and validates an experiment for one seed and backend: binds every plugin block,
 * generates the data, derives the model, checks layers, variables, targets and batch sizes, and
 * computes the schedule. Everything that can be wrong with a configuration fails here, with a
 * {@link ConfigException}, before a single file is written.
 */
public final class RunPlanner {
    private final Registry registry;

    public RunPlanner(Registry registry) {
        this.registry = registry;
    }

    /** The run id of an experiment, backend and seed: {@code <name>-<backend>-seed<seed>}. */
    public static String runId(Experiment e, String backendId, long seed) {
        return e.name() + "-" + backendId + "-seed" + seed;
    }

    /**
     * Plans one run.
     *
     * @throws ConfigException for anything the user must fix
     */
    public RunPlan plan(Experiment e, long seed, BackendChoice choice) {
        try {
            return planChecked(e, seed, choice);
        } catch (ConfigException ex) {
            throw e.overrides().attribute(ex);
        }
    }

    private RunPlan planChecked(Experiment e, long seed, BackendChoice choice) {
        Map<String, Long> seeds = new LinkedHashMap<>();
        for (String purpose : List.of(Seeds.DATA, Seeds.INIT, Seeds.BATCHES, Seeds.PROBE_FIT, Seeds.PROBES)) {
            seeds.put(purpose, Seeds.derive(seed, purpose));
        }

        Task task = registry.task(e.task().id(), "task.id");
        Params taskParams = Params.bind("task", e.task().fields(), task.parameters());
        ModelFactory factory = registry.model(e.model().id(), "model.id");
        Params modelParams = Params.bind("model", e.model().fields(), factory.parameters());
        List<Configured> probes = new ArrayList<>();
        for (int i = 0; i < e.probes().size(); i++) {
            ProbeSpec ps = e.probes().get(i);
            Probe probe = registry.probe(ps.probe().id(), "probes[" + i + "].id");
            Params pp = Params.bind("probes[" + i + "]", ps.probe().fields(), probe.parameters());
            probes.add(new Configured(i, ps, probe, probe.configure(pp)));
        }

        Dataset data = task.create(taskParams, seeds.get(Seeds.DATA));
        int trainSize = data.trainIndices().length;

        List<String> targets = new ArrayList<>();
        for (int i = 0; i < e.phases().size(); i++) {
            PhaseSpec p = e.phases().get(i);
            String field = "train.phases[" + i + "]";
            String target = p.target().orElse(data.defaultTarget());
            if (data.variable(target).isEmpty()) {
                throw new ConfigException(field + ".target", "unknown variable '" + target + "'; task " + task.id()
                        + " has: " + ConfigException.list(data.variableNames()));
            }
            if (p.batch() > trainSize) {
                throw new ConfigException(field + ".batch", "batch " + p.batch() + " is larger than the train split ("
                        + trainSize + " samples); allowed: 1.." + trainSize);
            }
            if (i > 0) {
                int before = data.variable(targets.get(i - 1)).orElseThrow().classes();
                int now = data.variable(target).orElseThrow().classes();
                if (before != now && !p.freshHead()) {
                    throw new ConfigException(field + ".freshHead", "the phase trains on '" + target + "' (" + now
                            + " classes) after '" + targets.get(i - 1) + "' (" + before
                            + " classes), so the output layer must be replaced: set freshHead: true");
                }
            }
            targets.add(target);
        }
        if (e.phases().get(0).freshHead()) {
            throw new ConfigException("train.phases[0].freshHead", "the first phase already starts from a fresh network; freshHead is only for later phases");
        }

        ModelSpec model;
        try {
            model = factory.create(modelParams, data.sampleShape(), data.variable(targets.get(0)).orElseThrow().classes());
        } catch (IllegalArgumentException misfit) {
            // ModelSpec checks every layer's shape: a factory's layers that do not fit this task's inputs
            throw new ConfigException("model.id", factory.id() + " does not fit inputs " + Arrays.toString(data.sampleShape())
                    + ": " + misfit.getMessage());
        }
        Backend backend = choice.backend();
        org.infodyn.api.backend.ModelArguments.checkLayerKinds(backend.id(), model, backend.supportedLayerKinds());

        List<PlannedProbe> planned = new ArrayList<>();
        int fitWanted = 0;
        for (Configured c : probes) {
            String path = "probes[" + c.index + "]";
            List<String> layers = c.spec.layers().isEmpty() ? representationLayers(model) : c.spec.layers();
            for (int j = 0; j < layers.size(); j++) {
                if (!model.hasLayer(layers.get(j))) {
                    throw new ConfigException(path + ".layers[" + j + "]", "unknown layer '" + layers.get(j) + "'; model "
                            + model.id() + " has: " + ConfigException.list(model.layerNames()));
                }
            }
            List<String> vars = c.spec.variables().isEmpty() ? data.variableNames() : c.spec.variables();
            for (int j = 0; j < vars.size(); j++) {
                if (data.variable(vars.get(j)).isEmpty()) {
                    throw new ConfigException(path + ".variables[" + j + "]", "unknown variable '" + vars.get(j) + "'; task "
                            + task.id() + " has: " + ConfigException.list(data.variableNames()));
                }
            }
            checkUnique(path + ".layers", layers);
            checkUnique(path + ".variables", vars);
            fitWanted = Math.max(fitWanted, c.configured.fitSamples());
            planned.add(new PlannedProbe(c.spec, c.probe, c.configured, layers, vars));
        }

        TrainingPlan training = new TrainingPlan(e.phases(), trainSize);
        List<Long> probeSteps = ProbeSchedule.steps(e.schedule(), training);

        // The decoders' fit samples: a seeded subset of the train split, the same at every point.
        // A probe that wants fewer takes a prefix, so all probes share one choice.
        int fitCount = Math.min(fitWanted, trainSize);
        Rng fitRng = new Rng(seeds.get(Seeds.PROBE_FIT));
        int[] perm = fitRng.permutation(trainSize);
        int[] fit = new int[fitCount];
        for (int i = 0; i < fitCount; i++) {
            fit[i] = data.trainIndices()[perm[i]];
        }

        BuildOptions options = new BuildOptions(e.device(), e.threads());
        return new RunPlan(e, seed, runId(e, backend.id(), seed), choice, options, task, taskParams, data, factory,
                modelParams, model, targets, training, probeSteps, planned, fit, seeds);
    }

    /** The layers probed when a probe block names none: the nonlinearities' outputs, else all but the logits. */
    static List<String> representationLayers(ModelSpec model) {
        List<String> out = new ArrayList<>();
        for (LayerSpec l : model.layers()) {
            if (l instanceof Activation) {
                out.add(l.name());
            }
        }
        if (out.isEmpty()) {
            List<String> all = model.layerNames();
            out.addAll(all.subList(0, all.size() - 1));
        }
        return out;
    }

    private static void checkUnique(String path, List<String> names) {
        Set<String> seen = new TreeSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new ConfigException(path, "'" + n + "' is listed twice");
            }
        }
    }

    private record Configured(int index, ProbeSpec spec, Probe probe, ConfiguredProbe configured) {
    }

    /** The variable a phase trains on. */
    static Variable target(RunPlan plan, int phase) {
        return plan.dataset().variable(plan.phaseTargets().get(phase)).orElseThrow();
    }
}
