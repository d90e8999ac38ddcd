package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/device-check.sh} on a machine without a GPU (CI's, and this tool's when the NVIDIA
 * driver is absent): one clear verdict, exit code 3, nothing built or downloaded.
 */
class DeviceCheckScriptTest {
    @TempDir
    Path dir;

    @Test
    void withoutTheDriverItEndsAtOnceWithANoGpuVerdict() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "bench/device-check.sh").directory(DocumentationLinksTest.ROOT.toFile())
                .redirectErrorStream(true);
        pb.environment().put("NVIDIA_SMI", dir.resolve("no-driver/nvidia-smi").toString()); // as on a machine without the driver
        pb.environment().put("OUT", dir.toString());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ends at once").isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output).isEqualTo(3);
            assertThat(output).contains("no NVIDIA driver").containsPattern("(?m)^verdict: no GPU")
                    .doesNotContain("building the distribution").doesNotContain("GPU build ready");
            assertThat(output.lines().filter(l -> l.startsWith("verdict:")).count()).as("one verdict").isEqualTo(1);
        } finally {
            p.destroyForcibly();
        }
    }
}
