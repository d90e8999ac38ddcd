package org.infodyn.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.infodyn.api.backend.NativeCache;
import org.junit.jupiter.api.Test;

/**
 * When the natives load, and what happens when they cannot: each case runs
 * {@link NativeLoadingProbe} in a fresh JVM, because ND4J loads its natives once per process.
 */
class NativeLoadingTest {

    private static List<String> probe(String classPath) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "-D" + NativeCache.PROPERTY + "=" + NativeCache.base(),
                NativeLoadingProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).findFirst().orElse("");
    }

    private static List<String> classPath() {
        assumeThat(Files.exists(Path.of("/proc/self/maps"))).as("Linux /proc").isTrue();
        return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    }

    @Test
    void discoveryLoadsNoNativesAndDescribeDoes() throws Exception {
        List<String> out = probe(String.join(File.pathSeparator, classPath()));
        assertThat(value(out, "available")).as(String.join("\n", out)).isEqualTo("true");
        assertThat(value(out, "nativesBeforeDescribe")).isEqualTo("false");
        assertThat(value(out, "describe")).contains("Deeplearning4j=1.0.0-M2.1");
        assertThat(value(out, "nativesAfterDescribe")).isEqualTo("true");
    }

    @Test
    void aMissingNativeJarIsReportedWithItsCoordinatesEveryTime() throws Exception {
        List<String> withoutNatives = classPath().stream()
                .filter(e -> !Path.of(e).getFileName().toString().equals(nativeJar())).toList();
        assumeThat(withoutNatives).as("the native jar is on the test class path").hasSizeLessThan(classPath().size());
        List<String> out = probe(String.join(File.pathSeparator, withoutNatives));
        assertThat(value(out, "available")).as("the Java classes are all there").isEqualTo("true");
        List<String> failures = out.stream().filter(l -> l.startsWith("unavailable=")).collect(Collectors.toList());
        assertThat(failures).as(String.join("\n", out)).hasSize(2);
        assertThat(failures.get(1)).as("the second attempt repeats the first diagnosis").isEqualTo(failures.get(0));
        assertThat(failures.get(0)).contains(Dl4jRuntime.NATIVE_ARTIFACT).contains(System.getProperty("os.name"))
                .contains(System.getProperty("os.arch"));
    }

    /** The file name of the native jar Dl4jRuntime names, as Maven stores it. */
    private static String nativeJar() {
        String[] gav = Dl4jRuntime.NATIVE_ARTIFACT.split(":");
        return gav[1] + "-" + gav[2] + "-" + gav[3] + ".jar";
    }
}
