package org.infodyn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.infodyn.api.Infodyn;
import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.Engine;
import org.infodyn.engine.experiment.Sweep;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.run.ReplicaGroups;
import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.RunStatus;
import org.infodyn.engine.sweep.SweepCluster;
import org.infodyn.engine.sweep.SweepPlan;
import org.infodyn.engine.sweep.SweepRunner;
import org.infodyn.engine.sweep.SweepSource;
import org.infodyn.report.Report;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code infodyn sweep}: every condition of a grid × every seed, then the summary and the report. */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = {"Run every condition of an experiment's sweep grid with every seed, then report.",
                "Runs go in parallel; then summary.csv and summary.json (mean, sd, n and 95%% CI over seeds),",
                "extremes.csv, report.html and figures/*.svg are written. Exit code 1 when a run failed or diverged."},
        footer = {"", "Layout of --out: sweep.json, runs/<run-id>/ (as 'infodyn run' writes them), summary.csv,",
                "summary.json, report.html, figures/. A killed sweep continues with --resume: finished runs are kept,",
                "interrupted or broken ones are redone.", "", "On Apache Spark (README, 'Sweeps on a cluster'): --spark local[2] runs",
                "embedded, --spark spark://HOST:PORT on a standalone cluster; the sweep's folder, resume and results are the same.",
                "", "Examples:", "  infodyn sweep examples/checkerboard-sweep.yaml --parallel 2",
                "  infodyn sweep examples/checkerboard-sweep.yaml --spark spark://10.0.0.5:7077 --spark-conf spark.executor.memory=4g"})
final class SweepCommand implements Callable<Integer> {
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

    @Mixin
    DeviceOption deviceOption = new DeviceOption();

    @Option(names = "--max-runs", paramLabel = "N", description = "refuse grids larger than this without --yes (default: ${DEFAULT-VALUE})")
    int maxRuns = 200;

    @Option(names = "--yes", description = "run a grid larger than --max-runs")
    boolean yes;

    @Option(names = "--replicas", paramLabel = "N", description = "train up to N runs that differ only in seed, lr, momentum or "
            + "weight decay together as one replica group (default: the experiment's 'replicas', else " + ReplicaGroups.DEFAULT_MAX
            + "; 1 trains each run on its own)")
    Integer replicas;

    @Option(names = "--dry-run", description = "check every condition (and with --spark, the master and options) and say what"
            + " would run; write nothing")
    boolean dryRun;

    @Option(names = "--only-index", paramLabel = "I", description = "run only run I (0-based, as --dry-run lists them) into --out,"
            + " beside other processes doing the same (a Slurm job array, a Kubernetes indexed job); no summaries: 'infodyn report"
            + " DIR' writes them when all are done")
    Integer onlyIndex;

    @Option(names = "--spark", arity = "0..1", fallbackValue = "", paramLabel = "MASTER", description = "run the runs on Apache Spark:"
            + " local[N] (embedded), spark://HOST:PORT (standalone cluster); without MASTER, the one spark-submit was given. Each"
            + " replica group is one Spark task; results come back into --out")
    String spark;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "a Spark option for --spark, checked against Spark's"
            + " own (repeatable), e.g. spark.executor.memory=4g")
    List<String> sparkConf = new ArrayList<>();

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
        checkSparkOptions();
        Engine engine = Engine.withInstalledPlugins();
        engine.registry().problems().forEach(p -> stderr.println("infodyn: warning: " + p));
        SweepSource source = SweepSource.read(experiment, deviceOption.withOverrides(sets));
        Sweep sweep = engine.readSweep(source);
        SweepPlan plan = engine.planSweep(sweep, Optional.ofNullable(backend));
        if (plan.runs().size() > maxRuns && !yes) {
            throw new ConfigException("the sweep expands to " + plan.runs().size() + " runs (" + sweep.conditions().size()
                    + " conditions × seeds), more than --max-runs " + maxRuns + "; add --yes to run them all");
        }
        plan.adjustments().forEach(a -> stderr.println("infodyn: note: " + a));
        if (spark == null) { // on a cluster the executors' machines decide which devices there are
            engine.checkDevices(plan);
        }
        Path dir = out != null ? out : Path.of("sweeps", sweep.base().name());
        if (dryRun) {
            stdout.printf("infodyn %s: dry run of sweep %s: %d conditions × %d seeds = %d runs → %s%n", Infodyn.version(),
                    sweep.base().name(), sweep.conditions().size(), sweep.base().seeds().size(), plan.runs().size(), dir);
            sweep.conditions().forEach(c -> stdout.printf("  %s: %s%n", c.id(), c.describe()));
            if (spark != null) {
                stdout.println(SparkSupport.find().check(spark, SparkSupport.settings(sparkConf)));
            }
            stdout.println("runs (the index is --only-index's):");
            for (int i = 0; i < plan.runs().size(); i++) {
                stdout.printf("  %d %s%n", i, plan.runs().get(i).runId());
            }
            return Main.OK;
        }
        if (onlyIndex != null) {
            return runOne(engine, sweep, plan, dir, stdout, stderr);
        }
        SweepRunner.Outcome outcome;
        int groups = replicas != null ? replicas : sweep.base().replicas().orElse(ReplicaGroups.DEFAULT_MAX);
        SweepRunner.Finisher report = d -> Report.write(d).summaries();
        // without --spark there is no connection: try-with-resources skips a null resource
        try (SweepCluster.Connection connection = spark == null ? null
                        : SparkSupport.find().connect(spark, SparkSupport.settings(sparkConf), "infodyn sweep " + sweep.base().name());
                Progress progress = new Progress(stdout, stderr, sweep, plan, dir);
                StopOnSignal signals = StopOnSignal.install(engine.stopSignal(), stderr)) {
            Optional<SweepRunner.OnCluster> on = Optional.ofNullable(connection).map(c -> new SweepRunner.OnCluster(c, source, 1));
            on.ifPresent(c -> stdout.println("infodyn: on " + c.connection().describe()));
            outcome = engine.sweep(plan, new SweepRunner.Options(dir, on.isPresent() ? 1 : parallel, resume, report, groups, on), progress);
        }
        if (outcome.stopped()) {
            stderr.printf("infodyn: sweep stopped by %s: %d run%s interrupted, finished runs kept in %s; continue it by running"
                    + " the same command with --resume%n", engine.stopSignal().reason().orElse("request"), outcome.interrupted(),
                    outcome.interrupted() == 1 ? "" : "s", dir);
            return Main.INTERRUPTED;
        }
        stdout.printf("%s%nwrote %s (summary.csv, extremes.csv, summary.json, report.html, figures/)%n",
                outcome.summaries().orElseThrow().overview(), dir);
        long failed = outcome.failed();
        long diverged = outcome.diverged();
        if (failed + diverged > 0) {
            stderr.printf("infodyn: %s; see their manifest.json%n", failedAndDiverged(failed, diverged));
            return Main.RUN_FAILED;
        }
        return Main.OK;
    }

    /** Refuses Spark options that make no sense together, before anything is loaded. */
    private void checkSparkOptions() {
        if (spark == null) {
            if (!sparkConf.isEmpty()) {
                throw new ConfigException("--spark-conf " + sparkConf.get(0) + " without --spark: add --spark MASTER (e.g. local[2])");
            }
            return;
        }
        if (onlyIndex != null) {
            throw new ConfigException("--spark and --only-index: --only-index is for schedulers that start one process per run;"
                    + " with --spark, Spark schedules the runs: drop one of them");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--parallel")) {
            throw new ConfigException("--parallel " + parallel + " with --spark: Spark runs as many tasks at once as its executors have"
                    + " cores (local[N]: N); drop --parallel");
        }
    }

    /** {@code --only-index}: one run of the sweep, beside others; the summaries are left to {@code infodyn report}. */
    private int runOne(Engine engine, Sweep sweep, SweepPlan plan, Path dir, PrintWriter stdout, PrintWriter stderr) throws Exception {
        if (resume) {
            throw new ConfigException("--only-index and --resume: --only-index always continues (a finished run is kept, an"
                    + " interrupted one redone); drop --resume");
        }
        Optional<RunResult> result;
        try (Progress progress = new Progress(stdout, stderr, sweep, plan, dir);
                StopOnSignal signals = StopOnSignal.install(engine.stopSignal(), stderr)) {
            result = engine.sweepOne(plan, onlyIndex, dir, progress);
        }
        String runId = plan.runs().get(onlyIndex).runId();
        if (result.isEmpty()) {
            stdout.printf("run %d (%s) had already finished in %s; kept%n", onlyIndex, runId, dir);
            return Main.OK;
        }
        RunResult r = result.get();
        if (r.status() == RunStatus.INTERRUPTED) {
            stderr.printf("infodyn: run %s stopped by %s; run the same command again to redo it%n", runId,
                    engine.stopSignal().reason().orElse("request"));
            return Main.INTERRUPTED;
        }
        stdout.printf("run %d of %d (%s): %s → %s%nwhen every run is done: infodyn report %s%n", onlyIndex, plan.runs().size(), runId,
                r.status().id(), r.directory(), dir);
        return r.status() == RunStatus.COMPLETED ? Main.OK : Main.RUN_FAILED;
    }

    private static String failedAndDiverged(long failed, long diverged) {
        List<String> parts = new ArrayList<>();
        if (failed > 0) {
            parts.add(failed + (failed == 1 ? " run" : " runs") + " failed");
        }
        if (diverged > 0) {
            parts.add(diverged + (diverged == 1 ? " run" : " runs") + " diverged");
        }
        return String.join(", ", parts);
    }

    /** Prints the sweep's header line, then hands each run's progress to the terminal display. */
    private final class Progress implements SweepRunner.Listener, AutoCloseable {
        private final PrintWriter stdout;
        private final PrintWriter stderr;
        private final Sweep sweep;
        private final SweepPlan plan;
        private final Path dir;
        private SweepProgress display;

        Progress(PrintWriter stdout, PrintWriter stderr, Sweep sweep, SweepPlan plan, Path dir) {
            this.stdout = stdout;
            this.stderr = stderr;
            this.sweep = sweep;
            this.plan = plan;
            this.dir = dir;
        }

        @Override
        public void redoing(String runId, String reason) {
            stderr.println("infodyn: redoing run " + runId + ": " + reason);
        }

        @Override
        public void planned(int kept, int todo, int workers) {
            stdout.printf("infodyn %s: sweep %s, %d conditions × %d seeds = %d runs%s; %d to run on %d worker%s → %s%n",
                    Infodyn.version(), sweep.base().name(), sweep.conditions().size(), sweep.base().seeds().size(),
                    plan.runs().size(), kept > 0 ? " (" + kept + " already finished)" : "", todo, workers,
                    workers == 1 ? "" : "s", dir);
            stdout.flush();
            display = new SweepProgress(stderr, Terminal.isInteractive(), quiet, todo, workers);
        }

        @Override
        public void started(String runId) {
            display.started(runId);
        }

        @Override
        public void attemptLost(String runId, String why) {
            stderr.println("infodyn: run " + runId + ": attempt lost (" + why + "); Spark reruns it");
        }

        @Override
        public void finished(RunResult result) {
            display.finished(result);
            if (verbose) {
                result.failure().ifPresent(t -> t.printStackTrace(stderr));
            }
        }

        @Override
        public void close() {
            if (display != null) {
                display.close();
            }
        }
    }

    /** For tests: the definition a sweep directory holds. */
    static Map<String, Object> definition(Path dir) throws IOException {
        return Json.readObject(dir.resolve(SweepPlan.FILE));
    }
}
