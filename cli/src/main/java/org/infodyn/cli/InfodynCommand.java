package org.infodyn.cli;

import org.infodyn.api.Infodyn;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code infodyn} command. */
@Command(name = "infodyn", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = {"Usable information in neural representations during training, on any deep-learning backend.",
                "(Kleinman, Achille, Idnani & Kao, ICLR 2021)"},
        subcommands = {RunCommand.class, SweepCommand.class, ReportCommand.class, CompareCommand.class, BackendsCommand.class, TasksCommand.class, ProbesCommand.class,
                ModelsCommand.class, BenchCommand.class},
        footer = {"", "Exit codes: 0 success, 1 a run failed or diverged, 2 a usage, configuration or installation error."})
final class InfodynCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --version}: the tool version and the JVM. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"infodyn " + Infodyn.version(),
                    "JVM " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }
    }
}
