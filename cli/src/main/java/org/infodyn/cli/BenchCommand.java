package org.infodyn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.DeviceInfo;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.backend.ReplicaGroup;
import org.infodyn.api.config.ConfigException;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Variable;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;
import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.run.ProbePoint;
import org.infodyn.engine.run.RunPlan;
import org.infodyn.engine.run.RunPlanner;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code infodyn bench}: the benchmark harness. Times an experiment's SGD step at several batch
 * sizes and the cost of one probe point, on one backend, and reports medians. Numbers from a
 * shared machine are noisy: compare backends or tools only within one invocation (see
 * {@code bench/run.sh}, which runs the PyTorch reference beside it and prints ratios).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = {"Time an experiment's SGD step and the cost of one probe point.",
                "Reports microseconds per step at the given batch sizes, and the cost of one probe point:",
                "activations, then the decoder fits, cold and warm-started, per probed layer and its width.",
                "Compare numbers only within one invocation."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "EXPERIMENT", description = "experiment to take the task, model and probes from (default: examples/checkerboard.yaml)")
    Path experiment = Path.of("examples", "checkerboard.yaml");

    @Option(names = "--backend", paramLabel = "ID", description = "backend id (default: as for 'infodyn run')")
    String backend;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a field of the experiment (repeatable)")
    List<String> sets = new ArrayList<>();

    @Mixin
    DeviceOption deviceOption = new DeviceOption();

    @Option(names = "--batches", split = ",", paramLabel = "B", description = "batch sizes to time (default: 32,1024)")
    List<Integer> batches = new ArrayList<>(List.of(32, 1024));

    @Option(names = "--steps", paramLabel = "N", description = "timed steps per repeat (default: ${DEFAULT-VALUE})")
    int steps = 1000;

    @Option(names = "--repeats", paramLabel = "R", description = "repeats; the median is reported (default: ${DEFAULT-VALUE})")
    int repeats = 5;

    @Option(names = "--replicas", split = ",", paramLabel = "R", description = "also time a replica group's step at these sizes "
            + "(e.g. 1,5,20,50), at the first of --batches; reports µs per group step and per replica")
    List<Integer> replicas = new ArrayList<>();

    @Option(names = "--no-probe", description = "time the SGD steps only, not a probe point")
    boolean noProbe;

    @Option(names = "--probe-at", paramLabel = "STEPS", description = "take the probe point on the initial network trained "
            + "this many SGD steps (the first of --batches), the same network in every run, so that the fits' cost "
            + "compares between runs (default: ${DEFAULT-VALUE}; 0: the untrained network, a run's first point)")
    int probeAt = 200;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
    Path json;

    @Option(names = {"-v", "--verbose"}, description = "stack traces on errors, library INFO logs")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        if (steps < 1 || repeats < 1 || batches.stream().anyMatch(b -> b < 1)) {
            throw new ConfigException("--steps, --repeats and --batches must be ≥ 1");
        }
        if (probeAt < 0) {
            throw new ConfigException("--probe-at: " + probeAt + " is not a number of steps; give 0 or more (default 200)");
        }
        PrintWriter out = spec.commandLine().getOut();
        Setup setup = Setup.load(experiment, deviceOption.withOverrides(sets), backend, spec.commandLine().getErr());
        Registry.BackendChoice choice = setup.backend();
        Experiment exp = setup.experiment();
        RunPlan plan = setup.engine().plan(exp, exp.seeds().get(0), choice);
        Backend backendUsed = choice.backend();
        BackendInfo info = backendUsed.describe();
        DeviceInfo device = backendUsed.device(plan.buildOptions());
        Dataset data = plan.dataset();
        int n = data.trainIndices().length;
        Optional<String> needsTwo = RunPlanner.batchNormNeedingTwoSamples(plan.model());
        for (int b : batches) {
            if (b > n) {
                throw new ConfigException("--batches: " + b + " is larger than the train split (" + n + ")");
            }
            if (b == 1 && needsTwo.isPresent()) { // the bench's batches are all full: only 1 is a single sample
                throw new ConfigException("--batches: 1: " + needsTwo.get() + "; allowed: 2.." + n);
            }
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("tool", "infodyn");
        results.put("backend", backendUsed.id());
        results.put("versions", info.versions());
        results.put("threads", plan.buildOptions().threads());
        results.put("device", device.toMap());
        results.put("model", plan.model().describe());
        out.printf("infodyn bench: %s on %s (%s), %s, %d intra-op thread%s%n", plan.model().describe(), backendUsed.id(),
                info.versions(), device.describe(), plan.buildOptions().threads(), plan.buildOptions().threads() == 1 ? "" : "s");

        Variable target = plan.target(0);
        SgdSettings sgd = plan.experiment().phases().get(0).sgd();
        Map<String, Object> stepResults = new LinkedHashMap<>();
        Parameters initial = Initializer.initialize(plan.model(), 1);
        try (Model model = backendUsed.build(plan.model(), initial, plan.buildOptions())) {
            for (int b : batches) {
                BatchPool batchPool = BatchPool.of(data, target, b);
                FloatTensor[] xs = batchPool.inputs();
                int[][] ys = batchPool.labels();
                int pool = xs.length;
                // Warm up until at least 5 steps and either max(200, steps/2) steps or 3 s: enough for
                // the JIT and the native allocators on a small network, not minutes on a ResNet.
                int warm = 0;
                long warmStart = System.nanoTime();
                while (warm < 5 || (warm < Math.max(200, steps / 2) && System.nanoTime() - warmStart < 3_000_000_000L)) {
                    model.step(xs[warm % pool], ys[warm % pool], sgd);
                    warm++;
                }
                double[] us = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        model.step(xs[i % pool], ys[i % pool], sgd);
                    }
                    us[r] = (System.nanoTime() - t0) / 1e3 / steps;
                }
                double median = median(us);
                double imagesPerSecond = b / (median * 1e-6);
                out.printf("  SGD step, batch %5d: %9.1f µs, %9.1f samples/s   (median of %d × %d steps after %d warm-up; min %.1f, max %.1f)%n",
                        b, median, imagesPerSecond, repeats, steps, warm, Arrays.stream(us).min().orElse(0), Arrays.stream(us).max().orElse(0));
                stepResults.put(String.valueOf(b), Map.of("median_us", median, "min_us", Arrays.stream(us).min().orElse(0),
                        "max_us", Arrays.stream(us).max().orElse(0), "images_per_s", imagesPerSecond, "warmup_steps", warm));
            }
            results.put("step", stepResults);
            if (!replicas.isEmpty()) {
                results.put("replicas", replicaSteps(out, plan, backendUsed, target, sgd, batches.get(0)));
            }
        }
        if (!noProbe && !plan.probes().isEmpty()) {
            // Not the timed model: its warm-up ends after 3 s as well as after a step count, so its
            // state (and the fits' cost on it) would change from run to run.
            try (Model probed = backendUsed.build(plan.model(), initial, plan.buildOptions())) {
                BatchPool batchPool = BatchPool.of(data, target, batches.get(0));
                for (int i = 0; i < probeAt; i++) {
                    probed.step(batchPool.inputs()[i % batchPool.size()], batchPool.labels()[i % batchPool.size()], sgd);
                }
                results.put("probe_point", probePoint(out, plan, probed, initial, setup.engine().probeThreads()));
            }
        }
        if (json != null) {
            Json.write(json, results);
            out.printf("wrote %s%n", json);
        }
        return Main.OK;
    }

    /**
     * The SGD step of replica groups of several sizes, each replica on its own batch with its own
     * initial parameters: µs per group step and per replica. R = 1 is a single model, as a run has.
     */
    private Map<String, Object> replicaSteps(PrintWriter out, RunPlan plan, Backend backend, Variable target, SgdSettings sgd, int b) {
        Dataset data = plan.dataset();
        int n = data.trainIndices().length;
        Map<String, Object> m = new LinkedHashMap<>();
        for (int r : replicas) {
            if (r < 1) {
                throw new ConfigException("--replicas: " + r + " is not a group size; give sizes ≥ 1, e.g. 1,5,20");
            }
            List<Parameters> initial = new ArrayList<>();
            for (int i = 0; i < r; i++) {
                initial.add(Initializer.initialize(plan.model(), i + 1));
            }
            int pool = 8;
            List<List<ReplicaGroup.ReplicaBatch>> batchesPool = new ArrayList<>();
            Rng rng = new Rng(Seeds.derive(11, "bench-replicas" + r));
            for (int k = 0; k < pool; k++) {
                List<ReplicaGroup.ReplicaBatch> step = new ArrayList<>();
                for (int i = 0; i < r; i++) {
                    int[] idx = new int[b];
                    for (int j = 0; j < b; j++) {
                        idx[j] = data.trainIndices()[rng.nextInt(n)];
                    }
                    step.add(new ReplicaGroup.ReplicaBatch(i, data.inputs().gatherRows(idx), target.labelsOf(idx), sgd));
                }
                batchesPool.add(step);
            }
            try (ReplicaGroup group = r == 1 ? ReplicaGroup.sequential(List.of(backend.build(plan.model(), initial.get(0), plan.buildOptions())))
                    : backend.buildReplicas(plan.model(), initial, plan.buildOptions())) {
                int steps = Math.max(20, this.steps / r);
                for (int k = 0; k < Math.max(5, steps / 2); k++) {
                    group.step(batchesPool.get(k % pool));
                }
                double[] us = new double[repeats];
                for (int rep = 0; rep < repeats; rep++) {
                    long t0 = System.nanoTime();
                    for (int k = 0; k < steps; k++) {
                        group.step(batchesPool.get(k % pool));
                    }
                    us[rep] = (System.nanoTime() - t0) / 1e3 / steps;
                }
                double median = median(us);
                out.printf("  replica group R=%3d, batch %d: %9.1f µs per group step, %8.1f µs per replica%n", r, b, median, median / r);
                m.put(String.valueOf(r), Map.of("group_step_us", median, "per_replica_us", median / r, "batch", b));
            }
        }
        return m;
    }

    /**
     * Times one probe point as a run takes it: activations, then every series' fit, cold then
     * warm-started, one after another; then, from a fresh capture, the cold fits side by side on
     * the run's probe threads. That wall time is a best case for a run's first point: the JIT is
     * warm by then and no training competes for the cores.
     */
    private Map<String, Object> probePoint(PrintWriter out, RunPlan plan, Model model, Parameters initial, int threads) {
        // up to 10 captures, but not much beyond 15 s: a ResNet's capture takes many seconds
        long t0 = System.nanoTime();
        ProbePoint point = null;
        int reps = 0;
        while (reps < 10 && (reps == 0 || System.nanoTime() - t0 < 15_000_000_000L)) {
            point = ProbePoint.capture(plan, model, probeAt, plan.target(0), initial, plan.deviceAlgebra());
            reps++;
        }
        double actMs = (System.nanoTime() - t0) / 1e6 / reps;
        List<ProbePoint.SeriesInput> inputs = point.series();
        List<ProbeSeries> series = open(plan, inputs);
        List<List<Measurement>> measured = new ArrayList<>();
        double[] cold = timeFits(series, inputs, measured);
        double[] warm = timeFits(series, inputs, null); // second call: each series warm-starts from the first
        double coldMs = Arrays.stream(cold).sum();
        double warmMs = Arrays.stream(warm).sum();
        boolean sideBySide = threads > 1 && inputs.size() > 1;
        double parallelMs = sideBySide ? timeFitsSideBySide(plan, model, probeAt, initial, threads) : Double.NaN;
        out.printf("  probe point: %d series (layers %s), fit %d / held-out %d samples, after %d SGD steps (--probe-at)%n",
                series.size(), plan.probedLayers(), plan.fitIndices().length, plan.dataset().probeIndices().length, probeAt);
        out.printf("    activations: %8.1f ms%n", actMs);
        out.printf("    fits, cold:  %8.1f ms  (%.2f ms per series, one thread)%n", coldMs, coldMs / series.size());
        out.printf("    fits, warm:  %8.1f ms  (same representation: the warm-start best case)%n", warmMs);
        if (sideBySide) {
            out.printf("    fits, cold, side by side: %8.1f ms  (wall time on %d probe threads, one fit per thread, as a run fits them;"
                    + " a best case: warm JIT, no training beside)%n", parallelMs, threads);
        }
        // Per probe and layer: what a layer of this width costs (its variables' series together,
        // since they share the layer's standardised features and their factorisations).
        Map<String, double[]> perLayer = new LinkedHashMap<>();
        List<Object> seriesMeasured = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            ProbePoint.SeriesInput in = inputs.get(i);
            String probeLayer = in.probe().label() + " " + in.layer();
            Map<String, Object> values = new LinkedHashMap<>(); // what the cold fits measured: the network probed, in numbers
            values.put("probe_layer", probeLayer);
            values.put("variable", in.variable());
            for (Measurement v : measured.get(i)) {
                values.put(v.metric(), v.value());
            }
            seriesMeasured.add(values);
            double[] row = perLayer.computeIfAbsent(probeLayer, k -> new double[4]);
            row[0] = in.data().heldOut().dimension();
            row[1]++;
            row[2] += cold[i];
            row[3] += warm[i];
        }
        out.printf("    %-36s %8s %7s %10s %10s%n", "probe layer", "features", "series", "cold ms", "warm ms");
        List<Object> layers = new ArrayList<>();
        perLayer.forEach((key, row) -> {
            out.printf("    %-36s %8d %7d %10.1f %10.1f%n", key, (long) row[0], (long) row[1], row[2], row[3]);
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("probe_layer", key);
            l.put("features", (long) row[0]);
            l.put("series", (long) row[1]);
            l.put("fits_cold_ms", row[2]);
            l.put("fits_warm_ms", row[3]);
            layers.add(l);
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("series", series.size());
        m.put("probe_at_steps", probeAt);
        m.put("activations_ms", actMs);
        m.put("fits_cold_ms", coldMs);
        m.put("fits_warm_ms", warmMs);
        m.put("measured", seriesMeasured);
        m.put("probe_threads", threads);
        if (sideBySide) {
            m.put("fits_cold_side_by_side_ms", parallelMs);
        }
        m.put("layers", layers);
        return m;
    }

    /**
     * Wall milliseconds of a fresh point's cold fits, every series on a pool of {@code threads}
     * (fresh: the factorisations a layer's series share are cached on its captured activations).
     */
    private static double timeFitsSideBySide(RunPlan plan, Model model, int step, Parameters initial, int threads) {
        List<ProbePoint.SeriesInput> inputs = ProbePoint.capture(plan, model, step, plan.target(0), initial, plan.deviceAlgebra()).series();
        List<ProbeSeries> series = open(plan, inputs);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "infodyn-bench-fit");
            t.setDaemon(true);
            return t;
        });
        try {
            long t0 = System.nanoTime();
            List<Future<?>> fits = new ArrayList<>();
            for (int i : ProbePoint.byDescendingCost(inputs)) { // in the order a run starts them
                ProbeSeries s = series.get(i);
                ProbePoint.SeriesInput in = inputs.get(i);
                fits.add(pool.submit(() -> s.measure(in.data())));
            }
            for (Future<?> f : fits) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e6;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while timing the fits", e);
        } catch (ExecutionException e) { // the fit's own exception, as a fit run alone would throw it
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a fit failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A new (cold) series for each input, in order. */
    private static List<ProbeSeries> open(RunPlan plan, List<ProbePoint.SeriesInput> inputs) {
        List<ProbeSeries> series = new ArrayList<>();
        for (ProbePoint.SeriesInput in : inputs) {
            series.add(in.open(plan));
        }
        return series;
    }

    /**
     * Milliseconds of each series' measurement, in order.
     *
     * @param measured null, or receives each series' measurements
     */
    private static double[] timeFits(List<ProbeSeries> series, List<ProbePoint.SeriesInput> inputs, List<List<Measurement>> measured) {
        double[] ms = new double[series.size()];
        for (int i = 0; i < series.size(); i++) {
            long t0 = System.nanoTime();
            List<Measurement> values = series.get(i).measure(inputs.get(i).data());
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (measured != null) {
                measured.add(values);
            }
        }
        return ms;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** A fixed pool of batches drawn from the train split (seeded by the batch size), reused round-robin. */
    private record BatchPool(FloatTensor[] inputs, int[][] labels) {
        static BatchPool of(Dataset data, Variable target, int b) {
            int n = data.trainIndices().length;
            Rng rng = new Rng(Seeds.derive(7, "bench" + b));
            int pool = 8;
            FloatTensor[] xs = new FloatTensor[pool];
            int[][] ys = new int[pool][];
            for (int i = 0; i < pool; i++) {
                int[] idx = new int[b];
                for (int j = 0; j < b; j++) {
                    idx[j] = data.trainIndices()[rng.nextInt(n)];
                }
                xs[i] = data.inputs().gatherRows(idx);
                ys[i] = target.labelsOf(idx);
            }
            return new BatchPool(xs, ys);
        }

        int size() {
            return inputs.length;
        }
    }
}
