package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend whose native library is missing says which jar is missing, and the other backends
 * keep working: {@code infodyn backends} in a fresh JVM whose class path lacks TensorFlow's
 * native jar.
 */
class MissingNativeLibraryTest {

    /** This JVM's class path and module path, as one class path, without the jars matching {@code drop}. */
    private static String classPathWithout(String drop) {
        return Stream.of(ChildJvm.classPath().split(File.pathSeparator))
                .filter(p -> !Path.of(p).getFileName().toString().matches(drop))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @TempDir
    Path dir;

    /** Runs the command line in a fresh JVM without TensorFlow's native jar; returns the exit code and everything it printed. */
    private static Map.Entry<Integer, String> withoutTensorflowNatives(String... args) throws IOException, InterruptedException {
        String cp = classPathWithout("tensorflow-core-native-.*-linux-x86_64\\.jar");
        Process p = new ProcessBuilder(ChildJvm.infodynOn(cp, args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return Map.entry(p.exitValue(), out);
    }

    @Test
    void aRunOnItIsAnInstallationErrorWithOneLineAndNothingWritten() throws IOException, InterruptedException {
        Path exp = Files.writeString(dir.resolve("exp.yaml"), """
                task: {id: checkerboard, samples: 200}
                model: {id: mlp, hidden: [4, 2]}
                train: {phases: [{epochs: 1, lr: 0.05}]}
                """);
        Map.Entry<Integer, String> r = withoutTensorflowNatives("run", exp.toString(), "--backend", "tf", "--out", dir.resolve("out").toString());
        assertThat(r.getKey()).as(r.getValue()).isEqualTo(2);
        // on a line of its own, before anything is said about the run (the device check loads the natives first)
        assertThat(r.getValue()).startsWith("infodyn: error: backend unavailable: TensorFlow's native library could not be loaded")
                .doesNotContain("\tat ");
        assertThat(r.getValue().lines().count()).as(r.getValue()).isEqualTo(1);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void tensorflowWithoutItsNativeJarExplainsItselfAndDjlStillWorks() throws IOException, InterruptedException {
        Map.Entry<Integer, String> r = withoutTensorflowNatives("backends");
        String out = r.getValue();
        assertThat(r.getKey()).as(out).isZero();
        assertThat(out).contains("cannot load: TensorFlow's native library could not be loaded")
                .contains("org.tensorflow:tensorflow-core-native:1.1.0 (classifier linux-x86_64)");
        assertThat(out).contains("PyTorch 2.7.1").contains("chosen by default: djl");
    }
}
