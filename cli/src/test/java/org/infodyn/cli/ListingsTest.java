package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.Probe;
import org.infodyn.engine.plugin.Registry;
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
        assertThat(r.out()).as("each backend says what it can do on a GPU: the CPU build cannot, and says how to get one")
                .contains("gpu:      this build ships PyTorch's CPU library", "gpu:      this build ships TensorFlow's CPU library",
                        "INFODYN_GPU=1", "gpu:      runs on the CPU only");
    }

    @Test
    void tasksProbesAndModelsListTheirParameters() {
        assertThat(CliHarness.run("tasks").out()).contains("checkerboard", "encoding (string, default grid, one of grid|image|scalars)",
                "samples (integer, default 10000");
        assertThat(CliHarness.run("probes").out()).contains("usable-information", "decoder", "bits",
                "measures: a layer's activations about a variable", "cka", "dimensionality",
                "measures: a layer's activations, no variable (do not list variables)", "weights", "fisher",
                "measures: the network's parameters (layers with parameters), no variable");
        assertThat(CliHarness.run("models").out()).contains("mlp", "hidden (list of integers, default [100, 100, 2]");
    }

    @Test
    void aPluginJarThatRegisteredNothingIsNamed() throws IOException {
        Path jar = Files.createTempFile("provides-only", ".jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("module-info.class")); // a module's jar without META-INF/services
        }
        System.setProperty(PluginPath.PROPERTY, jar.toString());
        try {
            CliHarness.Result r = CliHarness.run("probes");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).contains("warning: " + jar + " is on the plugin path but provides no infodyn plugin")
                    .contains("a module-info 'provides' alone is not seen on the class path");
            assertThat(r.out()).contains("provider: org.infodyn.probes.usable.UsableInformationProbe (");
        } finally {
            System.clearProperty(PluginPath.PROPERTY);
            Files.delete(jar);
        }
    }

    /** A third party's probe that reuses the built-in's id: a conflict the user must resolve. */
    public static final class Impostor implements Probe {
        @Override
        public String id() {
            return "usable-information";
        }

        @Override
        public String description() {
            return "a probe that reuses a built-in id";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public List<String> metrics() {
            return List.of("x: a value");
        }

        @Override
        public ConfiguredProbe configure(Params params) {
            throw new UnsupportedOperationException("never run");
        }
    }

    @Test
    void twoProvidersOfOneIdAreRefusedByListingsAndRunsUntilTheUserChooses() throws IOException {
        try (ContextPlugin plugin = ContextPlugin.install(Probe.class, Impostor.class)) {
            for (String command : new String[] {"probes", "tasks", "models", "backends"}) {
                CliHarness.Result r = CliHarness.run(command);
                assertThat(r.exitCode()).as(command + "\n" + r).isEqualTo(2);
                assertThat(r.err()).as(command).contains("2 plugins provide the probe id 'usable-information'",
                        "org.infodyn.probes.usable.UsableInformationProbe (", Impostor.class.getName() + " (",
                        "INFODYN_PLUGIN_CHOICE=probe:usable-information=<class>").doesNotContain("\tat ");
            }
            Path out = Files.createTempDirectory("conflict").resolve("out");
            CliHarness.Result run = CliHarness.run("run", "../examples/checkerboard.yaml", "--dry-run", "--out", out.toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("2 plugins provide the probe id 'usable-information'");

            System.setProperty(Registry.CHOICE_PROPERTY, "probe:usable-information=org.infodyn.probes.usable.UsableInformationProbe");
            CliHarness.Result chosen = CliHarness.run("probes");
            assertThat(chosen.exitCode()).as(chosen.toString()).isZero();
            assertThat(chosen.out()).contains("provider: org.infodyn.probes.usable.UsableInformationProbe (")
                    .doesNotContain(Impostor.class.getName());
        } finally {
            System.clearProperty(Registry.CHOICE_PROPERTY);
        }
    }
}
