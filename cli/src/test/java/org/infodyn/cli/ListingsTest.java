package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class ListingsTest {
    private static final String[] COMMANDS = {"run", "sweep", "report", "compare", "backends", "tasks", "probes", "models", "bench"};

    @Test
    void helpAndVersionEverywhere() {
        for (String cmd : COMMANDS) {
            CliHarness.Result help = CliHarness.run(cmd, "--help");
            assertThat(help.exitCode()).as(cmd).isZero();
            assertThat(help.out()).as(cmd).contains("Usage: infodyn " + cmd);
            assertThat(help.out() + help.err()).as(cmd + ": picocli could not format the help").doesNotContain("picocli WARN");
            CliHarness.Result version = CliHarness.run(cmd, "--version");
            assertThat(version.exitCode()).isZero();
            assertThat(version.out()).startsWith("infodyn ");
        }
        CliHarness.Result top = CliHarness.run("--help");
        assertThat(top.out()).contains("run", "backends", "tasks", "probes", "bench", "Exit codes");
    }

    @Test
    void everyCommandSummaryIsAWholeSentence() {
        CommandLine cl = new CommandLine(new InfodynCommand());
        for (String cmd : COMMANDS) {
            String[] description = cl.getSubcommands().get(cmd).getCommandSpec().usageMessage().description();
            // the first line is the summary in `infodyn --help`: it must not stop mid-sentence
            assertThat(description[0]).as(cmd).endsWith(".").doesNotContain("%n");
        }
    }

    @Test
    void backendsSaysWhatIsFoundChosenAndWhy() {
        CliHarness.Result r = CliHarness.run("backends");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("djl", "DJL (PyTorch engine)", "priority 100", "PyTorch 2.7.1", "DJL 0.36.0", "devices:  cpu",
                "layers:   avgpool, batchnorm, conv2d, dense, flatten, globalavgpool, maxpool, relu, residual, tanh",
                "chosen by default: djl", "highest priority");
    }

    @Test
    void tasksProbesAndModelsListTheirParameters() {
        assertThat(CliHarness.run("tasks").out()).contains("checkerboard", "encoding (string, default grid, one of grid|image|scalars)",
                "samples (integer, default 10000");
        assertThat(CliHarness.run("probes").out()).contains("usable-information", "decoder", "bits");
        assertThat(CliHarness.run("models").out()).contains("mlp", "hidden (list of integers, default [100, 100, 2]");
    }
}
