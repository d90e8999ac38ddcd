package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infodyn as JPMS modules: the command line launched with {@code -m org.infodyn.cli/...}, every
 * infodyn module and every library with a usable module name on the module path, and only the
 * jars that cannot be modules on the class path (DJL's native jar, whose automatic name is not a
 * Java identifier; commons-compress, whose descriptor requires an absent commons-lang3; and
 * Deeplearning4j with its dependencies, whose descriptors are broken — including infodyn's own
 * class-path-only dl4j backend). Plugins are found by service binding on the
 * module path and through META-INF/services on the class path.
 */
class ModulePathLaunchTest {
    /** Jars that must stay on the class path (see the class comment). */
    private static final String CLASS_PATH_ONLY = "pytorch-native-cpu-.*|commons-compress-.*|commons-lang3-.*|nd4j-.*|"
            + "deeplearning4j-.*|openblas-.*|infodyn-backend-dl4j-.*|guava-1\\.0\\.0-M.*|protobuf-1\\.0\\.0-M.*|jackson-1\\.0\\.0-M.*|"
            + "flatbuffers-.*|oshi-.*|jna-platform-.*|threetenbp-.*|fastutil-.*|neoitertools-.*|commons-net-.*|"
            + "commons-math3-.*|commons-collections4-.*|byteunits-.*|resources-1\\.0\\.0-M.*";
    /** Test-only entries of this JVM's paths. */
    private static final String TEST_ONLY = "junit-.*|jqwik-.*|opentest4j-.*|apiguardian-.*|assertj-.*|byte-buddy-.*|test-classes|"
            + "infodyn-testkit-.*|surefire.*";

    @TempDir
    Path dir;

    private static List<String> entries() {
        return Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""))
                .flatMap(p -> Stream.of(p.split(File.pathSeparator))).filter(p -> !p.isBlank()).distinct()
                .filter(p -> !Path.of(p).getFileName().toString().matches(TEST_ONLY)).toList();
    }

    private static boolean classPathOnly(String entry) {
        return Path.of(entry).getFileName().toString().matches(CLASS_PATH_ONLY);
    }

    private String launch(String... args) throws IOException, InterruptedException {
        List<String> all = entries();
        String modulePath = all.stream().filter(e -> !classPathOnly(e)).collect(Collectors.joining(File.pathSeparator));
        String classPath = all.stream().filter(ModulePathLaunchTest::classPathOnly).collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dinfodyn.cache.dir=" + System.getProperty("infodyn.cache.dir", System.getProperty("java.io.tmpdir")),
                "-p", modulePath, "-cp", classPath,
                // automatic modules that nobody `requires` (slf4j's provider, gson, DJL's engine) must be
                // resolved, and class-path code (ND4J's JavaCPP) needs sun.misc.Unsafe
                "--add-modules", "ALL-MODULE-PATH,jdk.unsupported",
                "-m", "org.infodyn.cli/org.infodyn.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void findsAndRunsEveryPluginOnTheModulePath() throws IOException, InterruptedException {
        String backends = launch("backends");
        assertThat(backends).contains("PyTorch 2.7.1", "TensorFlow 2.18.0", "dl4j", "chosen by default: djl")
                .doesNotContain("cannot load");
        Path exp = Files.writeString(dir.resolve("m.yaml"), """
                name: modular
                task: {id: checkerboard, samples: 300}
                model: {id: mlp, hidden: [8, 2]}
                train:
                  phases:
                    - {epochs: 1, lr: 0.05, batch: 16}
                probes:
                  - {id: usable-information, layers: [hidden1], variables: [color], fitSamples: 100}
                """);
        for (String backend : List.of("djl", "tf", "dl4j")) {
            String run = launch("run", exp.toString(), "--backend", backend, "--out", dir.resolve("out").toString(), "-q");
            assertThat(run).contains("modular-" + backend + "-seed0: completed");
        }
    }
}
