package org.infodyn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code infodyn compare}: one experiment on several backends, and whether they agree. */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = {"Run one experiment on several backends and say whether they agree.",
                "Shows every measured value side by side, the largest difference per probe, layer, variable and metric,",
                "the drift of the final parameters, and a verdict against the tolerances. Exit code 1 when they disagree."},
        footer = {"", "Example:", "  infodyn compare examples/checkerboard.yaml --backends djl,tf,dl4j"})
final class CompareCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "experiment file")
    Path experiment;

    @Option(names = "--backends", split = ",", paramLabel = "ID", required = true,
            description = "backends to compare, the first is the reference (e.g. djl,tf,dl4j)")
    List<String> backends = new ArrayList<>();

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a field (repeatable)")
    List<String> sets = new ArrayList<>();

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

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(backends));
        if (ids.size() < 2) {
            throw new ConfigException("--backends needs at least two different backends to compare, got " + backends);
        }
        // each run on its own model: a comparison validates the frameworks' single-model path (replica
        // groups are held to the same results by the backend compatibility kit)
        Engine engine = Engine.withInstalledPlugins().withReplicas(1);
        Experiment exp = engine.read(experiment, sets);
        // Everything is checked for every backend before anything runs.
        Map<String, Registry.BackendChoice> choices = new LinkedHashMap<>();
        for (String id : ids) {
            Registry.BackendChoice c = engine.backendFor(exp, Optional.of(id));
            engine.plan(exp, exp.seeds().get(0), c);
            choices.put(id, c);
        }
        Path dir = out != null ? out
                : Path.of("compare", exp.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        for (String id : ids) {
            RunDirectory.checkWritable(dir.resolve(id), exp.seeds().stream().map(s -> RunPlanner.runId(exp, id, s)).toList());
        }
        Map<String, Map<Long, Path>> runs = new LinkedHashMap<>();
        for (String id : ids) {
            Map<Long, Path> bySeed = new LinkedHashMap<>();
            List<RunResult> results = engine.run(exp, choices.get(id), dir.resolve(id), (seed, group) -> RunListener.NONE);
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
