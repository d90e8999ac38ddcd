package org.infodyn.engine.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.ModelArguments;
import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.BatchNorm;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Residual;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.Probe;
import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;
import org.infodyn.api.task.Task;
import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.experiment.PhaseSpec;
import org.infodyn.engine.experiment.ProbeSpec;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.plugin.Registry.BackendChoice;
import org.infodyn.engine.experiment.ReduceSetting;

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
        Map<String, Long> seeds = derivedSeeds(seed);
        Task task = registry.task(e.task().id(), "task.id");
        Params taskParams = Params.bind("task", e.task().fields(), task.parameters());
        ModelFactory factory = registry.model(e.model().id(), "model.id");
        Params modelParams = Params.bind("model", e.model().fields(), factory.parameters());
        List<Configured> probes = configureProbes(e);

        Dataset data = createData(task, taskParams, seeds.get(Seeds.DATA));
        List<String> targets = phaseTargets(e, task, data);
        ModelSpec model = model(factory, modelParams, data, targets.get(0));
        ModelArguments.checkLayerKinds(choice.backend(), model);
        BuildOptions options = new BuildOptions(e.device(), e.threads());
        List<PlannedProbe> planned = new ArrayList<>();
        for (Configured c : probes) {
            planned.add(resolve(c, model, task, data, seeds.get(Seeds.PROBES), choice.backend(), options));
        }
        TrainingPlan training = new TrainingPlan(e.phases(), data.trainIndices().length);
        checkBatchNormBatches(model, training, data.trainIndices().length);
        int fitWanted = planned.stream().mapToInt(p -> p.configured().fitSamples()).max().orElse(0);
        int largestBatch = e.phases().stream().mapToInt(PhaseSpec::batch).max().orElseThrow();
        int probeRows = Math.min(fitWanted, data.trainIndices().length) + data.probeIndices().length;
        List<String> probed = planned.stream().flatMap(p -> p.layers().stream()).distinct().toList();
        MemoryEstimate memory = MemoryEstimate.of(model, largestBatch, probeRows, probed);
        memory.check("at batch " + largestBatch);
        RunPlan plan = new RunPlan(e, seed, runId(e, choice.backend().id(), seed), choice, options, task, taskParams, data, factory,
                modelParams, model, targets, training, ProbeSchedule.steps(e.schedule(), training), planned,
                fitSubset(data, fitWanted, seeds.get(Seeds.PROBE_FIT)), seeds, memory.replicasThatFit(), adjustments(planned, data));
        ActivationsOut.of(plan); // its steps, layers and size are checked before anything is written
        return plan;
    }

    /**
     * Makes the dataset. A task asked for more samples than memory holds fails on one huge
     * allocation, before touching it, so the error is caught here and reported as the
     * configuration problem it is.
     */
    private static Dataset createData(Task task, Params params, long seed) {
        try {
            return task.create(params, seed);
        } catch (OutOfMemoryError | NegativeArraySizeException e) {
            throw new ConfigException("task", "the dataset of task " + task.id() + " with " + params.asMap()
                    + " does not fit in the memory the JVM may use (" + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB); ask for fewer samples, or raise -Xmx (INFODYN_JAVA_OPTS)");
        }
    }

    /**
     * The settings the run could not honour as written and how it adjusted them, one line each:
     * shown once on the console and recorded in the manifest, never silent.
     */
    private static List<String> adjustments(List<PlannedProbe> probes, Dataset data) {
        int trainSize = data.trainIndices().length;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            int asked = probes.get(i).configured().fitSamples();
            if (asked > trainSize) {
                out.add("probes[" + i + "].fitSamples: " + asked + " asked, but the train split has " + trainSize
                        + " samples: the decoders fit on all " + trainSize);
            }
        }
        return out;
    }

    /** The seed of every random purpose, derived from the run seed. */
    private static Map<String, Long> derivedSeeds(long seed) {
        Map<String, Long> seeds = new LinkedHashMap<>();
        for (String purpose : List.of(Seeds.DATA, Seeds.INIT, Seeds.BATCHES, Seeds.PROBE_FIT, Seeds.PROBES)) {
            seeds.put(purpose, Seeds.derive(seed, purpose));
        }
        return seeds;
    }

    /** Binds and configures every probe block (before the data is made: a bad setting fails fast). */
    private List<Configured> configureProbes(Experiment e) {
        List<Configured> probes = new ArrayList<>();
        for (int i = 0; i < e.probes().size(); i++) {
            ProbeSpec ps = e.probes().get(i);
            Probe probe = registry.probe(ps.probe().id(), "probes[" + i + "].id");
            Params pp = Params.bind("probes[" + i + "]", ps.probe().fields(), probe.parameters());
            probes.add(new Configured(i, ps, probe, probe.configure(pp)));
        }
        return probes;
    }

    /** The target variable of each phase, checked against the data, with its batch size and head. */
    private static List<String> phaseTargets(Experiment e, Task task, Dataset data) {
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
        return targets;
    }

    /**
     * A batch-norm layer that sees one value per channel per sample (over features {@code [F]}, or
     * a {@code [C, 1, 1]} map) has no batch statistics on a batch of one sample: PyTorch (DJL)
     * refuses such a step, and the other backends would each do something else. So a phase whose
     * batches can hold one sample (batch 1, or an epoch's last batch when n mod batch = 1 and the
     * phase reaches it: every phase starts a fresh epoch) is a configuration error, found before
     * anything is written.
     */
    private static void checkBatchNormBatches(ModelSpec model, TrainingPlan training, int trainSize) {
        Optional<String> needsTwo = batchNormNeedingTwoSamples(model);
        if (needsTwo.isEmpty()) {
            return;
        }
        for (TrainingPlan.Phase p : training.phases()) {
            int batch = p.spec().batch();
            boolean lastBatchOfOne = trainSize % batch == 1 && p.steps() >= p.stepsPerEpoch();
            if (batch != 1 && !lastBatchOfOne) {
                continue;
            }
            String field = "train.phases[" + p.index() + "].batch";
            String needs = needsTwo.get();
            if (trainSize < 2) {
                throw new ConfigException(field, "the train split has " + trainSize + " sample: " + needs);
            }
            String why = batch == 1 ? "batch 1" : "batch " + batch + " leaves a last batch of 1 sample in every epoch ("
                    + trainSize + " train samples, " + trainSize + " mod " + batch + " = 1)";
            String shorter = batch == 1 ? "" : ", or a phase shorter than one epoch (steps < " + p.stepsPerEpoch() + ")";
            throw new ConfigException(field, why + "; " + needs + "; allowed: 2.." + trainSize + " with " + trainSize
                    + " mod batch ≠ 1, e.g. " + nearestBatchWithoutASingle(batch, trainSize) + shorter);
        }
    }

    /**
     * Why {@code model} cannot train on a batch of one sample, if it cannot: its batch-norm layers
     * (nested ones included) whose input has one value per channel per sample ({@code [F]}, or a
     * {@code [C, 1, 1]} map) need at least 2. For the planner and for {@code infodyn bench}, which
     * forms its own batches; both say it in these words.
     *
     * @return e.g. "batch norm over features (layer 'bn1') needs at least 2 samples in every
     *     training batch (PyTorch refuses one)", or empty when every batch size is fine
     */
    public static Optional<String> batchNormNeedingTwoSamples(ModelSpec model) {
        List<String> layers = new ArrayList<>();
        int[] shape = model.inputShape();
        for (LayerSpec layer : model.layers()) {
            collectPerSampleBatchNorms(layer, shape, layers);
            shape = layer.outputShape(shape);
        }
        if (layers.isEmpty()) {
            return Optional.empty();
        }
        String named = (layers.size() == 1 ? "layer " : "layers ") + String.join(", ", layers.stream().map(l -> "'" + l + "'").toList());
        return Optional.of("batch norm over features (" + named + ") needs at least 2 samples in every training batch (PyTorch refuses one)");
    }

    /** The batch size nearest to {@code batch} (larger first) whose epochs never end on a batch of one sample. */
    private static int nearestBatchWithoutASingle(int batch, int trainSize) {
        for (int d = 1; d <= trainSize; d++) {
            for (int b : new int[] {batch + d, batch - d}) {
                if (b >= 2 && b <= trainSize && trainSize % b != 1) {
                    return b;
                }
            }
        }
        return 2; // not reached: trainSize ≥ 2 has one (trainSize itself)
    }

    /**
     * Adds the batch-norm layers in {@code layer} (nested ones included) whose input has one value
     * per channel. {@link Residual} is the only layer that holds others ({@link LayerSpec} is sealed).
     */
    private static void collectPerSampleBatchNorms(LayerSpec layer, int[] in, List<String> out) {
        if (layer instanceof BatchNorm && Arrays.stream(in).skip(1).reduce(1, (a, b) -> a * b) == 1) {
            out.add(layer.name());
        }
        if (layer instanceof Residual r) {
            for (List<LayerSpec> branch : List.of(r.body(), r.shortcut())) {
                int[] shape = in;
                for (LayerSpec l : branch) {
                    collectPerSampleBatchNorms(l, shape, out);
                    shape = l.outputShape(shape);
                }
            }
        }
    }

    /** The network for the first phase's target; a model whose layers do not fit the task's inputs is a configuration error. */
    private static ModelSpec model(ModelFactory factory, Params params, Dataset data, String target) {
        try {
            return factory.create(params, data.sampleShape(), data.variable(target).orElseThrow().classes());
        } catch (IllegalArgumentException misfit) {
            // ModelSpec checks every layer's shape: a factory's layers that do not fit this task's inputs
            throw new ConfigException("model.id", factory.id() + " does not fit inputs " + Arrays.toString(data.sampleShape())
                    + ": " + misfit.getMessage());
        }
    }

    /**
     * A probe that asked for matrix work on the training device needs a backend that does it: the
     * parameter it asked with, its value and the parameter's other values, before anything is written.
     */
    private static void checkDeviceAlgebra(Configured c, String path, Backend backend, BuildOptions options) {
        Optional<String> asked = c.configured.deviceAlgebraSetting();
        if (asked.isEmpty() || backend.algebra(options).isPresent()) {
            return;
        }
        String field = asked.get();
        String value = Params.format(c.configured.params().asMap().get(field));
        List<String> others = c.probe.parameters().stream().filter(p -> p.name().equals(field)).findFirst()
                .map(ParamSpec::choices).orElse(List.of()).stream().filter(v -> !v.equals(value)).toList();
        throw new ConfigException(path + "." + field, "'" + value + "' asks probe " + c.probe.id()
                + " for float64 matrix work on the training backend's device, which backend " + backend.id()
                + " does not provide (Backend.algebra); "
                + (others.isEmpty() ? "" : "allowed with " + backend.id() + ": " + String.join(", ", others) + "; or ")
                + "use a backend that provides it (the built-in djl, tf and dl4j do)");
    }

    /** A probe block with its layers and variables resolved (defaults filled in) and checked. */
    private static PlannedProbe resolve(Configured c, ModelSpec model, Task task, Dataset data, long probeSeed, Backend backend,
            BuildOptions options) {
        String path = "probes[" + c.index + "]";
        boolean ofParameters = !c.probe.readsActivations();
        List<String> withParameters = model.layerNames().stream().filter(l -> !model.parametersOf(l).isEmpty()).toList();
        List<String> layers = !c.spec.layers().isEmpty() ? c.spec.layers() : ofParameters ? withParameters : representationLayers(model);
        for (int j = 0; j < layers.size(); j++) {
            if (!model.hasLayer(layers.get(j))) {
                throw new ConfigException(path + ".layers[" + j + "]", "unknown layer '" + layers.get(j) + "'; model "
                        + model.id() + " has: " + ConfigException.list(model.layerNames()));
            }
            if (ofParameters && !withParameters.contains(layers.get(j))) {
                throw new ConfigException(path + ".layers[" + j + "]", "probe " + c.probe.id() + " measures parameters, and layer '"
                        + layers.get(j) + "' has none; layers with parameters: " + ConfigException.list(withParameters));
            }
        }
        List<String> companions = c.configured.companionLayers();
        for (String companion : companions) {
            if (!model.hasLayer(companion)) {
                throw new ConfigException(path, "probe " + c.probe.id() + " compares with layer '" + companion + "', which model "
                        + model.id() + " does not have; it has: " + ConfigException.list(model.layerNames()));
            }
        }
        List<String> vars;
        if (!c.probe.measuresVariables()) {
            if (!c.spec.variables().isEmpty()) {
                throw new ConfigException(path + ".variables", "probe " + c.probe.id() + " measures no variable; remove 'variables'");
            }
            vars = List.of();
        } else {
            vars = c.spec.variables().isEmpty() ? data.variableNames() : c.spec.variables();
        }
        for (int j = 0; j < vars.size(); j++) {
            if (data.variable(vars.get(j)).isEmpty()) {
                throw new ConfigException(path + ".variables[" + j + "]", "unknown variable '" + vars.get(j) + "'; task "
                        + task.id() + " has: " + ConfigException.list(data.variableNames()));
            }
        }
        checkUnique(path + ".layers", layers);
        checkUnique(path + ".variables", vars);
        if (c.configured.inspection().map(i -> i.needsGradients()).orElse(false) && !backend.computesGradients()) {
            throw new ConfigException(path + ".id", "probe " + c.probe.id() + " needs the gradients of the loss, which backend "
                    + backend.id() + " does not compute (Backend.computesGradients); use a backend that does: djl, tf or dl4j");
        }
        checkDeviceAlgebra(c, path, backend, options);
        int fitSamples = Math.min(c.configured.fitSamples(), data.trainIndices().length);
        int basisSamples = fitSamples > 0 ? fitSamples : data.probeIndices().length; // where a PCA is fitted
        Map<String, Reduction> reductions = new LinkedHashMap<>();
        for (String layer : layers) {
            if (ofParameters) {
                ReduceSetting.Kind kind = c.spec.reduce().kind();
                if (kind != ReduceSetting.Kind.AUTO && kind != ReduceSetting.Kind.NONE) {
                    throw new ConfigException(path + "." + ReduceSetting.FIELD, "probe " + c.probe.id()
                            + " measures parameters, not activations: a reduction does not apply; remove '" + ReduceSetting.FIELD + "'");
                }
                reductions.put(layer, Reduction.none(new int[] {1}));
                continue;
            }
            // the same reduction of a layer draws the same projection in every probe block
            long seed = Seeds.derive(probeSeed, "reduce/" + layer + "/" + c.spec.reduce().text());
            reductions.put(layer, Reduction.resolve(c.spec.reduce(), layer, model.outputShape(layer), basisSamples, seed,
                    path + "." + ReduceSetting.FIELD));
        }
        return new PlannedProbe(c.spec, c.probe, c.configured, layers, vars, reductions);
    }

    /**
     * The decoders' fit samples: a seeded subset of the train split, the same at every point. A
     * probe that wants fewer takes a prefix, so all probes share one choice.
     */
    private static int[] fitSubset(Dataset data, int wanted, long seed) {
        int trainSize = data.trainIndices().length;
        int[] perm = new Rng(seed).permutation(trainSize);
        int[] fit = new int[Math.min(wanted, trainSize)];
        for (int i = 0; i < fit.length; i++) {
            fit[i] = data.trainIndices()[perm[i]];
        }
        return fit;
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
}
