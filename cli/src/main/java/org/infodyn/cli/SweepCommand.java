package org.infodyn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.experiment.ExperimentReader;
import org.infodyn.api.experiment.Overrides;
import org.infodyn.api.experiment.Sweep;
import org.infodyn.api.output.Json;
import org.infodyn.api.plugin.Registry;
import org.infodyn.api.run.RunListener;
import org.infodyn.api.run.RunPlanner;
import org.infodyn.api.run.RunResult;
import org.infodyn.api.run.RunStatus;
import org.infodyn.api.run.Runner;
import org.infodyn.cli.report.Report;
import org.infodyn.cli.sweep.RunState;
import org.infodyn.cli.sweep.SweepLock;
import org.infodyn.cli.sweep.SweepPlan;
import org.infodyn.cli.sweep.SweepProgress;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code infodyn sweep}: every condition of a grid × every seed, then the summary and the report. */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = {"Run every condition of the experiment's 'sweep' grid with every seed, in parallel, then write",
                "summary.csv / summary.json (mean, sd, n, 95% CI over seeds) and report.html with figures/*.svg."},
        footer = {"", "Layout of --out: sweep.json, runs/<run-id>/ (as 'infodyn run' writes them), summary.csv,",
                "summary.json, report.html, figures/. A killed sweep continues with --resume: finished runs are kept,",
                "interrupted or broken ones are redone.", "", "Example:", "  infodyn sweep examples/checkerboard-sweep.yaml --parallel 2"})
final class SweepCommand implements Callable<Integer> {
    /** Where the run directories go inside a sweep directory. */
    static final String RUNS = "runs";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "experiment file with a 'sweep' block")
    Path experiment;

    @Option(names = "--parallel", paramLabel = "N", description = "runs at once (default: ${DEFAULT-VALUE}, one per CPU)")
    int parallel = Runtime.getRuntime().availableProcessors();

    @Option(names = "--resume", description = "continue the sweep in --out: keep finished runs, redo the others")
    boolean resume;

    @Option(names = "--out", paramLabel = "DIR", description = "the sweep's directory (default: sweeps/<name>)")
    Path out;

    @Option(names = "--backend", paramLabel = "ID", description = "backend for every condition (not with a backend axis)")
    String backend;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a field of every condition (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--max-runs", paramLabel = "N", description = "refuse grids larger than this without --yes (default: ${DEFAULT-VALUE})")
    int maxRuns = 200;

    @Option(names = "--yes", description = "run a grid larger than --max-runs")
    boolean yes;

    @Option(names = {"-q", "--quiet"}, description = "no progress lines")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "stack traces on errors, library INFO logs")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (parallel < 1) {
            throw new ConfigException("--parallel must be ≥ 1, got " + parallel);
        }
        Sweep sweep = ExperimentReader.readSweep(experiment, Overrides.parse(sets, ExperimentReader::parseValue));
        Registry registry = Registry.load();
        registry.problems().forEach(p -> stderr.println("infodyn: warning: " + p));
        SweepPlan plan = SweepPlan.create(sweep, registry, Optional.ofNullable(backend),
                Optional.ofNullable(System.getenv(Registry.BACKEND_ENV)));
        if (plan.runs().size() > maxRuns && !yes) {
            throw new ConfigException("the sweep expands to " + plan.runs().size() + " runs (" + sweep.conditions().size()
                    + " conditions × seeds), more than --max-runs " + maxRuns + "; add --yes to run them all");
        }
        Path dir = out != null ? out : Path.of("sweeps", sweep.base().name());
        checkDirectory(dir, plan);

        try (SweepLock lock = SweepLock.acquire(dir)) {
            Path defFile = dir.resolve(SweepPlan.FILE);
            if (resume && Files.exists(defFile)) {
                plan.checkSameAs(Json.readObject(defFile), dir);
            }
            Json.write(defFile, plan.definition());
            Path runs = dir.resolve(RUNS);
            Files.createDirectories(runs);
            List<SweepPlan.SweepRun> todo = new ArrayList<>();
            int kept = 0;
            for (SweepPlan.SweepRun r : plan.runs()) {
                RunState state = RunState.of(runs.resolve(r.runId()));
                if (state.finished()) {
                    kept++;
                    continue;
                }
                if (Files.exists(runs.resolve(r.runId()))) {
                    stderr.println("infodyn: redoing run " + r.runId() + ": " + state.reason());
                    deleteTree(runs.resolve(r.runId()));
                }
                todo.add(r);
            }
            int workers = Math.min(parallel, Math.max(1, todo.size()));
            int probeThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
            stdout.printf("infodyn %s: sweep %s, %d conditions × %d seeds = %d runs%s; %d to run on %d worker%s → %s%n",
                    org.infodyn.api.Infodyn.version(), sweep.base().name(), sweep.conditions().size(), sweep.base().seeds().size(),
                    plan.runs().size(), kept > 0 ? " (" + kept + " already finished)" : "", todo.size(), workers,
                    workers == 1 ? "" : "s", dir);
            stdout.flush();
            List<RunResult> results = execute(todo, runs, workers, probeThreads, registry, stderr);
            long failed = results.stream().filter(r -> r.status() == RunStatus.FAILED).count();

            Report.Result report = Report.write(dir);
            stdout.printf("%s%nwrote %s (summary.csv, summary.json, report.html, figures/)%n", report.overview(), dir);
            if (failed > 0) {
                stderr.printf("infodyn: %d run%s failed; see their manifest.json%n", failed, failed == 1 ? "" : "s");
                return Main.RUN_FAILED;
            }
            return Main.OK;
        }
    }

    private void checkDirectory(Path dir, SweepPlan plan) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("--out " + dir + " is a file; choose a directory");
        }
        if (!resume && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.anyMatch(p -> !p.getFileName().toString().equals(SweepLock.FILE))) {
                    throw new ConfigException(dir + " already holds a sweep; add --resume to continue it, or choose another --out"
                            + " (nothing was overwritten)");
                }
            }
        }
        org.infodyn.api.output.RunDirectory.checkWritable(dir, List.of());
    }

    private List<RunResult> execute(List<SweepPlan.SweepRun> todo, Path runs, int workers, int probeThreads, Registry registry,
            PrintWriter stderr) throws InterruptedException {
        RunPlanner planner = new RunPlanner(registry);
        Runner runner = new Runner(probeThreads);
        List<RunResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "infodyn-sweep-worker");
            t.setDaemon(true);
            return t;
        });
        try (SweepProgress progress = new SweepProgress(stderr, Terminal.isInteractive(), quiet, todo.size(), workers)) {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (SweepPlan.SweepRun r : todo) {
                futures.add(pool.submit(() -> {
                    progress.started(r.runId());
                    RunResult result;
                    try {
                        result = runner.run(planner.plan(r.condition().experiment(), r.seed(), r.backend()), runs, RunListener.NONE);
                    } catch (RuntimeException | IOException e) {
                        result = new RunResult(r.runId(), runs.resolve(r.runId()), RunStatus.FAILED,
                                e.getClass().getSimpleName() + ": " + e.getMessage(), java.util.OptionalLong.empty(), 0, Optional.of(e));
                    }
                    progress.finished(result);
                    if (verbose) {
                        result.failure().ifPresent(t -> t.printStackTrace(stderr));
                    }
                    return result;
                }));
            }
            for (Future<RunResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /** For tests: the definition a sweep directory holds. */
    static Map<String, Object> definition(Path dir) throws IOException {
        return Json.readObject(dir.resolve(SweepPlan.FILE));
    }
}
