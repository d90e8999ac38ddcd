package org.infodyn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.Engine;
import org.infodyn.engine.compare.Comparison;
import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.output.RunDirectory;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.run.RunListener;
import org.infodyn.engine.run.RunPlanner;
import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.RunStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code infodyn compare}: one experiment on several backends, and whether they agree. */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = {"Run one experiment on several backends and say whether they agree.",
                "Shows every measured value side by side, the largest difference per probe, layer, variable and metric,",
                "the drift of the final parameters, and a verdict against the tolerances. Exit code 1 when they disagree."},
        footer = {"", "Examples:", "  infodyn compare examples/checkerboard.yaml --backends djl,tf,dl4j",
                "  INFODYN_GPU=1 infodyn compare exp.yaml --backends djl@cpu,djl@gpu"})
final class CompareCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "experiment file")
    Path experiment;

    @Option(names = "--backends", split = ",", paramLabel = "ID[@DEVICE]", required = true,
            description = "backends to compare, the first is the reference (e.g. djl,tf,dl4j); ID@DEVICE runs that backend on "
                    + "that device (e.g. djl@cpu,djl@gpu: one backend on two devices)")
    List<String> backends = new ArrayList<>();

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a field (repeatable)")
    List<String> sets = new ArrayList<>();

    @Mixin
    DeviceOption deviceOption = new DeviceOption();

    @Option(names = "--out", paramLabel = "DIR", description = "where the runs and the comparison go (default: compare/<name>-<date>-<time>)")
    Path out;

    @Option(names = "--bits-tolerance", paramLabel = "BITS", description = "largest allowed difference of a usable-information value (default: ${DEFAULT-VALUE})")
    double bitsTolerance = 0.02;

    @Option(names = "--parameter-tolerance", paramLabel = "REL", description = "largest allowed relative difference of the final parameters, per tensor: ‖a−b‖ / max(‖a‖, ‖b‖) (default: ${DEFAULT-VALUE})")
    double parameterTolerance = 1e-3;

    @Option(names = {"-q", "--quiet"}, description = "no progress lines")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "stack traces on errors")
    boolean verbose;

    /** One side of a comparison: a backend, on the device the experiment says or on its own. */
    record Contender(String label, String backend, Optional<String> device) {
        static Contender parse(String label) {
            int at = label.indexOf('@');
            if (at < 0) {
                return new Contender(label, label, Optional.empty());
            }
            String given = label.substring(at + 1);
            String device = BuildOptions.parseDevice(given).orElseThrow(() -> new ConfigException("--backends", "unknown device '"
                    + given.toLowerCase(Locale.ROOT) + "' in '" + label + "'; allowed: " + ConfigException.list(BuildOptions.DEVICES)));
            return new Contender(label.substring(0, at) + "@" + device, label.substring(0, at), Optional.of(device));
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        List<Contender> contenders = new ArrayList<>();
        for (String label : backends) {
            Contender k = Contender.parse(label);
            if (contenders.stream().noneMatch(c -> c.label().equals(k.label()))) { // djl@gpu and djl@GPU are one
                contenders.add(k);
            }
        }
        if (contenders.size() < 2) {
            throw new ConfigException("--backends needs at least two different backends (or backend@device pairs) to compare, got "
                    + backends);
        }
        // each run on its own model: a comparison validates the frameworks' single-model path (replica
        // groups are held to the same results by the backend compatibility kit)
        Engine engine = Engine.withInstalledPlugins().withReplicas(1);
        List<String> overrides = deviceOption.withOverrides(sets);
        // Everything is checked for every contender before anything runs, its device included.
        Map<String, Experiment> experiments = new LinkedHashMap<>();
        Map<String, Registry.BackendChoice> choices = new LinkedHashMap<>();
        for (Contender k : contenders) {
            List<String> own = new ArrayList<>(overrides);
            k.device().ifPresent(d -> own.add("device=" + d));
            Experiment e = engine.read(experiment, own);
            Registry.BackendChoice c = engine.backendFor(e, Optional.of(k.backend()));
            c.backend().device(engine.plan(e, e.seeds().get(0), c).buildOptions());
            experiments.put(k.label(), e);
            choices.put(k.label(), c);
        }
        Experiment exp = experiments.values().iterator().next();
        Path dir = out != null ? out
                : Path.of("compare", exp.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        for (Contender k : contenders) {
            RunDirectory.checkWritable(dir.resolve(k.label()), exp.seeds().stream().map(s -> RunPlanner.runId(exp, k.backend(), s)).toList());
        }
        Map<String, Map<Long, Path>> runs = new LinkedHashMap<>();
        for (Contender k : contenders) {
            String id = k.label();
            Map<Long, Path> bySeed = new LinkedHashMap<>();
            List<RunResult> results = engine.run(experiments.get(id), choices.get(id), dir.resolve(id), (seed, group) -> RunListener.NONE);
            for (int i = 0; i < results.size(); i++) { // one result per seed, in the experiment's order
                RunResult r = results.get(i);
                long seed = exp.seeds().get(i);
                if (!quiet) {
                    stderr.printf("%s seed %d: %s in %.1f s%n", id, seed, r.status().id(), r.seconds());
                }
                if (r.status() != RunStatus.COMPLETED) {
                    stderr.println("infodyn: " + r.runId() + " " + r.status().id() + ": " + r.reason() + "; nothing to compare");
                    return Main.RUN_FAILED;
                }
                bySeed.put(seed, r.directory());
            }
            runs.put(id, bySeed);
        }
        Files.createDirectories(dir);
        Comparison c = Comparison.of(runs, new Comparison.Tolerances(bitsTolerance, parameterTolerance));
        c.write(dir);
        stdout.print(c.summary());
        stdout.printf("wrote %s (comparison.csv, comparison.json, one folder of runs per backend)%n", dir);
        return c.disagreements().isEmpty() ? Main.OK : Main.RUN_FAILED;
    }
}
