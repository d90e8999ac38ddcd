package org.infodyn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.infodyn.engine.sweep.SweepLock;
import org.infodyn.report.Report;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code infodyn report}: regenerates the summary and report of a sweep (or a folder of runs) from its files. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = {"Aggregate the runs in a directory over seeds and write their summary and report.",
                "Writes summary.csv, summary.json, extremes.csv, report.html and figures/*.svg. DIR is a sweep directory,",
                "or a folder of run directories written by 'infodyn run'."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "a sweep directory or a folder of runs")
    Path dir;

    @Option(names = {"-v", "--verbose"}, description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Report.Result r;
        if (Files.exists(dir.resolve(SweepLock.FILE))) {
            // a sweep directory: never aggregate while a sweep is still writing runs into it
            try (SweepLock lock = SweepLock.acquire(dir, "run 'infodyn report' when it has finished")) {
                r = Report.write(dir);
            }
        } else {
            r = Report.write(dir);
        }
        out.println(r.overview());
        out.printf("wrote %s (summary.csv, summary.json, report.html, %d figures)%n", dir, r.figures().size());
        return Main.OK;
    }
}
