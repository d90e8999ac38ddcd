package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The native libraries' log lines (TensorFlow's Abseil, PyTorch's, JavaCPP's version note) stay off stderr unless --verbose. */
class NativeStderrTest {
    @TempDir
    Path dir;

    @Test
    void recognisesAbseilAndPyTorchInfoAndWarningLinesOnly() {
        assertThat(NativeStderr.isNoise("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR")).isTrue();
        assertThat(NativeStderr.isNoise("I0000 00:00:1796399124.569026   13418 mlir_graph_optimization_pass.cc:401] "
                + "MLIR V1 optimization pass is not enabled")).isTrue();
        assertThat(NativeStderr.isNoise("W1204 15:40:57.123456   12977 cpu_feature_guard.cc:210] something")).isTrue();
        assertThat(NativeStderr.isNoise("E1204 15:40:57.123456   12977 session.cc:10] a real error")).isFalse();
        assertThat(NativeStderr.isNoise("[W1207 14:00:25.346308675 NNPACK.cpp:57] Could not initialize NNPACK! Reason: Unsupported hardware."))
                .isTrue();
        assertThat(NativeStderr.isNoise("[W107 09:03:04.000000123 NNPACK.cpp:57] Could not initialize NNPACK! Reason: Unsupported hardware."))
                .as("7 January").isTrue();
        assertThat(NativeStderr.isNoise("[E1207 14:00:25.346308675 Context.cpp:10] a real PyTorch error")).isFalse();
        assertThat(NativeStderr.isNoise("infodyn: error: train.phases[0].lr: must be > 0 and finite, got 0")).isFalse();
        assertThat(NativeStderr.isNoise("[seed 0] step 10/100")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void aRunPrintsNoNativeLogLines(String backend) throws IOException, InterruptedException {
        Path exp = Files.writeString(dir.resolve("exp.yaml"), """
                task: {id: checkerboard, samples: 200}
                model: {id: mlp, hidden: [4, 2]}
                train: {phases: [{epochs: 1, lr: 0.05}]}
                probes: [{id: usable-information, layers: [hidden2], variables: [color], fitSamples: 100}]
                """);
        List<String> cmd = ChildJvm.infodyn("run", exp.toString(), "--backend", backend, "-q", "--out", dir.resolve("out").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("err.txt").toFile()).redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().remove("TF_CPP_MIN_LOG_LEVEL"); // the filter must not depend on it
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(err).doesNotContain("absl::InitializeLog").doesNotContain("mlir_graph_optimization_pass")
                .doesNotContain("Versions of org.bytedeco:javacpp");
        assertThat(Files.readString(dir.resolve("out.txt"))).contains("headline measurements");
    }
}
