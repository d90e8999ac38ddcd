package org.infodyn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.experiment.Experiment;
import org.infodyn.api.output.RunDirectory;
import org.infodyn.api.plugin.Registry;
import org.infodyn.api.run.RunPlan;
import org.infodyn.api.run.RunPlanner;
import org.infodyn.api.run.RunResult;
import org.infodyn.api.run.RunStatus;
import org.infodyn.api.run.Runner;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code infodyn run}: one experiment, each of its seeds in turn. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = {"Train the experiment's network and measure its representations at the scheduled steps.",
                "Writes one directory per seed: manifest.json, metrics.csv, events.jsonl, checkpoints/."},
        footer = {"", "Examples:", "  infodyn run examples/checkerboard.yaml",
                "  infodyn run examples/checkerboard.yaml --set seeds=0..2 --set train.phases[0].lr=0.005",
                "  infodyn run experiment.json --backend djl --out results/"})
final class RunCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "experiment file (YAML, or JSON ending in .json)")
    Path experiment;

    @Option(names = "--backend", paramLabel = "ID", description = "backend id (overrides the experiment's 'backend' and ${INFODYN_BACKEND}); see 'infodyn backends'")
    String backend;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a field, e.g. --set train.phases[0].lr=0.005 (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "parent folder of the run directories (default: runs/<name>-<date>-<time>)")
    Path out;

    @Option(names = "--probe-threads", paramLabel = "N", description = "worker threads for probe fits (default: number of CPUs)")
    Integer probeThreads;

    @Option(names = {"-q", "--quiet"}, description = "no progress line; only the summary")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "stack traces on errors, library INFO logs")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (probeThreads != null && probeThreads < 1) {
            throw new ConfigException("--probe-threads must be ≥ 1, got " + probeThreads);
        }
        Setup setup = Setup.load(experiment, sets, backend, stderr);
        Experiment exp = setup.experiment();
        Registry registry = setup.registry();
        Registry.BackendChoice choice = setup.backend();
        RunPlanner planner = new RunPlanner(registry);
        // Plan the first seed fully before writing anything: every configuration error shows here.
        RunPlan first = planner.plan(exp, exp.seeds().get(0), choice);
        Path parent = out != null ? out
                : Path.of("runs", exp.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<String> ids = exp.seeds().stream().map(s -> RunPlanner.runId(exp, choice.backend().id(), s)).toList();
        RunDirectory.checkWritable(parent, ids);

        Runner runner = probeThreads != null ? new Runner(probeThreads) : Runner.withDefaultThreads();
        stdout.printf("infodyn %s: %s on %s (%s), %d seed%s → %s%n", org.infodyn.api.Infodyn.version(), exp.name(),
                choice.backend().id(), choice.reason(), exp.seeds().size(), exp.seeds().size() == 1 ? "" : "s", parent);
        stdout.flush();
        int failures = 0;
        List<RunResult> results = new ArrayList<>();
        for (int i = 0; i < exp.seeds().size(); i++) {
            long seed = exp.seeds().get(i);
            RunPlan plan = i == 0 ? first : planner.plan(exp, seed, choice);
            Progress progress = new Progress(stderr, quiet, Terminal.isInteractive(), i + 1, exp.seeds().size(), seed);
            RunResult r = runner.run(plan, parent, progress);
            results.add(r);
            Summary.print(stdout, plan, r, progress.rows());
            if (r.status() != RunStatus.COMPLETED) {
                failures++;
                stderr.println("infodyn: run " + r.runId() + " " + r.status().id() + ": " + r.reason());
                if (verbose) {
                    r.failure().ifPresent(t -> t.printStackTrace(stderr));
                }
            }
        }
        stdout.printf("%nwrote %s%n", parent);
        return failures == 0 ? Main.OK : Main.RUN_FAILED;
    }
}
