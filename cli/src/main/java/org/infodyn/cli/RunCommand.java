package org.infodyn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.infodyn.api.Infodyn;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.engine.Engine;
import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.run.ActivationsOut;
import org.infodyn.engine.run.ReplicaGroups;
import org.infodyn.engine.run.RunPlan;
import org.infodyn.engine.run.RunResult;
import org.infodyn.engine.run.RunStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import org.infodyn.api.backend.Model;




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

    @Mixin
    DeviceOption deviceOption = new DeviceOption();

    @Option(names = "--out", paramLabel = "DIR", description = "parent folder of the run directories (default: runs/<name>-<date>-<time>)")
    Path out;

    @Option(names = "--probe-threads", paramLabel = "N", description = "worker threads for probe fits (default: number of CPUs)")
    Integer probeThreads;

    @Option(names = "--replicas", paramLabel = "N", description = "train up to N seeds together as one replica group "
            + "(default: the experiment's 'replicas', else " + ReplicaGroups.DEFAULT_MAX + "; 1 trains each seed on its own)")
    Integer replicas;

    @Option(names = "--dry-run", description = "check everything (experiment, plugins, data, memory, output folder) and say what would run; write nothing")
    boolean dryRun;

    @Option(names = {"-q", "--quiet"}, description = "no progress line; only the summary")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "stack traces on errors, library INFO logs")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Setup setup = Setup.load(experiment, deviceOption.withOverrides(sets), backend, stderr);
        Engine engine = probeThreads != null ? setup.engine().withProbeThreads(probeThreads) : setup.engine();
        Experiment exp = setup.experiment();
        engine = engine.withReplicas(replicas != null ? replicas : exp.replicas().orElse(ReplicaGroups.DEFAULT_MAX));
        Registry.BackendChoice choice = setup.backend();
        Path parent = out != null ? out
                : Path.of("runs", exp.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<Long> seeds = exp.seeds();
        if (dryRun) {
            RunPlan plan = engine.check(exp, choice, parent);
            stdout.printf("infodyn %s: dry run of %s on %s (%s): %d seed%s, %s%n  %d SGD steps (%.4g epochs), %d probe points, "
                    + "%d probe series%n  would write %s%n", Infodyn.version(), exp.name(), choice.backend().id(), choice.reason(),
                    seeds.size(), seeds.size() == 1 ? "" : "s", plan.model().describe(), plan.training().totalSteps(),
                    plan.training().totalEpochs(), plan.probeSteps().size(),
                    plan.probes().stream().mapToInt(p -> p.layers().size() * p.variables().size()).sum(), parent);
            plan.probes().forEach(p -> p.layers().forEach(l -> {
                if (!p.reductions().get(l).isIdentity()) {
                    stdout.printf("  %s measures %s: %s%n", p.label(), p.reductions().get(l).measuredName(l), p.reductions().get(l).describe());
                }
            }));
            ActivationsOut.of(plan).ifPresent(a -> stdout.printf("  would save activations %s in activations/%n", a.summary()));
            return Main.OK;
        }
        List<RunResult> results;
        try (StopOnSignal signals = StopOnSignal.install(engine.stopSignal(), stderr)) {
            results = run(engine, exp, choice, parent, stdout, stderr);
        }
        stdout.printf("%nwrote %s%n", parent);
        if (engine.stopSignal().isRequested()) {
            long notStarted = seeds.size() - results.size();
            stderr.printf("infodyn: stopped by %s%s; what was measured is kept (an interrupted run's rows are in its"
                    + " metrics.csv.partial)%n", engine.stopSignal().reason().orElse("request"),
                    notStarted > 0 ? ", " + notStarted + (notStarted == 1 ? " seed" : " seeds") + " not started" : "");
            return Main.INTERRUPTED;
        }
        return results.stream().allMatch(r -> r.status() == RunStatus.COMPLETED) ? Main.OK : Main.RUN_FAILED;
    }

    private List<RunResult> run(Engine engine, Experiment exp, Registry.BackendChoice choice, Path parent, PrintWriter stdout,
            PrintWriter stderr) throws IOException {
        List<Long> seeds = exp.seeds();
        Set<String> noted = new HashSet<>(); // each adjustment is said once, not once per seed
        return engine.run(exp, choice, parent, (seed, group) -> {
            if (seed == seeds.get(0)) { // planned and checked: say what runs where before the first run starts
                // the device was resolved when the run was checked: asking again says which it is
                String device = choice.backend().device(new BuildOptions(exp.device(), exp.threads())).describe();
                stdout.printf("infodyn %s: %s on %s (%s), %s, %d seed%s → %s%n", Infodyn.version(), exp.name(), choice.backend().id(),
                        choice.reason(), device, seeds.size(), seeds.size() == 1 ? "" : "s", parent);
                stdout.flush();
            }
            // a replica group trains its seeds together: its first run shows the progress of all
            boolean shows = !quiet && seed == group.get(0);
            String prefix = group.size() > 1 ? "[seeds " + group.get(0) + ".." + group.get(group.size() - 1) + ", " + group.size()
                    + " together] " : seeds.size() > 1 ? "[" + (seeds.indexOf(seed) + 1) + "/" + seeds.size() + " seed " + seed + "] "
                    : "[seed " + seed + "] ";
            return new Progress(stderr, !shows, Terminal.isInteractive(), prefix, (r, rows) -> report(stdout, stderr, r, rows)) {
                @Override
                public void started(RunPlan plan, Path runDir) {
                    plan.adjustments().stream().filter(noted::add).forEach(a -> stderr.println("infodyn: note: " + a));
                    ActivationsOut.of(plan).filter(a -> noted.add("activations")).ifPresent(a -> stderr.printf("infodyn: note: saving "
                            + "activations %s, in its activations/ folder%n", a.summary()));
                    super.started(plan, runDir);
                }
            };
        });
    }

    private void report(PrintWriter stdout, PrintWriter stderr, RunResult r, List<MetricRow> rows) {
        Summary.print(stdout, r, rows);
        r.warnings().forEach(w -> stderr.println("infodyn: note: run " + r.runId() + ": " + w));
        if (r.status() != RunStatus.COMPLETED) {
            stderr.println("infodyn: run " + r.runId() + " " + r.status().id() + ": " + r.reason());
            if (verbose) {
                r.failure().ifPresent(t -> t.printStackTrace(stderr));
            }
        }
    }
}
