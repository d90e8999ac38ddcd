package org.infodyn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.infodyn.api.probe.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two registration mistakes a plugin author makes, each caught with the line to add: a jar
 * with only {@code provides} in module-info (invisible on the class path), and one with only the
 * services file while it has a module-info (invisible on the module path). The jars are compiled
 * here, as an author's build would make them.
 */
class RegistrationTest {
    @TempDir
    Path dir;

    private static final String PROBE = """
            package org.example.mistake;
            public final class MyProbe implements org.infodyn.api.probe.Probe {
                public String id() { return "mine"; }
                public String description() { return "a probe"; }
                public java.util.List<org.infodyn.api.config.ParamSpec> parameters() { return java.util.List.of(); }
                public java.util.List<String> metrics() { return java.util.List.of("x: a value"); }
                public org.infodyn.api.probe.ConfiguredProbe configure(org.infodyn.api.config.Params p) { throw new UnsupportedOperationException(); }
            }
            """;

    /** Compiles the probe (with the given module-info, if any) into a jar with the given services file, if any. */
    private Class<?> plugin(String name, String moduleInfo, String servicesLine) throws Exception {
        Path src = dir.resolve(name + "-src");
        Path classes = dir.resolve(name + "-classes");
        Files.createDirectories(src.resolve("org/example/mistake"));
        Files.writeString(src.resolve("org/example/mistake/MyProbe.java"), PROBE);
        if (moduleInfo != null) {
            Files.writeString(src.resolve("module-info.java"), moduleInfo);
        }
        String api = Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17",
                moduleInfo != null ? "--module-path" : "-cp", api));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("compiles").isZero();
        Path jar = dir.resolve(name + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
            }
            if (servicesLine != null) {
                out.putNextEntry(new JarEntry("META-INF/services/" + Probe.class.getName()));
                out.write((servicesLine + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, Probe.class.getClassLoader());
        return loader.loadClass("org.example.mistake.MyProbe");
    }

    @Test
    void aProvidesWithoutAServicesFileIsNamed() throws Exception {
        Class<?> c = plugin("provides-only", "module org.example.mistake { requires org.infodyn.api; "
                + "provides org.infodyn.api.probe.Probe with org.example.mistake.MyProbe; }", null);
        assertThatThrownBy(() -> Registration.assertRegistered(Probe.class, c)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("META-INF/services/org.infodyn.api.probe.Probe is missing; it needs the line org.example.mistake.MyProbe")
                .hasMessageContaining("launcher");
    }

    @Test
    void aServicesFileWithoutProvidesInAModuleIsNamed() throws Exception {
        Class<?> c = plugin("services-only", "module org.example.mistake { requires org.infodyn.api; }", "org.example.mistake.MyProbe");
        assertThatThrownBy(() -> Registration.assertRegistered(Probe.class, c)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("module-info.java of module org.example.mistake lacks 'provides org.infodyn.api.probe.Probe with "
                        + "org.example.mistake.MyProbe;'");
    }

    @Test
    void bothWaysOrAClassPathOnlyJarPass() throws Exception {
        Registration.assertRegistered(Probe.class, plugin("both", "module org.example.mistake { requires org.infodyn.api; "
                + "provides org.infodyn.api.probe.Probe with org.example.mistake.MyProbe; }", "org.example.mistake.MyProbe"));
        Registration.assertRegistered(Probe.class, plugin("classpath", null, "# a comment\norg.example.mistake.MyProbe"));
    }
}
