package org.infodyn.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.infodyn.engine.plugin.Registry;

/**
 * The jars the launcher put on the plugin path (the folder {@code plugins/} and
 * {@code INFODYN_PLUGIN_PATH}, passed as the system property {@value #PROPERTY}), and which of them
 * registered nothing: the usual reason is a jar with a {@code module-info} {@code provides} but no
 * {@code META-INF/services} file, which the class path never sees.
 */
final class PluginPath {
    /** The launcher's list of plugin jars and folders, separated like a class path. */
    static final String PROPERTY = "infodyn.plugin.path";

    private PluginPath() {
    }

    /** The plugin jars on the path (folders expanded to their jars). */
    static List<Path> jars() {
        String text = System.getProperty(PROPERTY, "");
        List<Path> out = new ArrayList<>();
        for (String entry : text.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry.endsWith("*") ? entry.substring(0, entry.length() - 1) : entry);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(out::add);
                } catch (java.io.IOException e) {
                    // an unreadable folder holds no plugin we could name
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** One warning per plugin jar from which no backend, task, probe or model was loaded. */
    static List<String> silentJars(Registry registry) {
        Set<Path> origins = new HashSet<>();
        Stream.of(registry.backends().stream(), registry.tasks().values().stream(), registry.probes().values().stream(),
                registry.models().values().stream()).flatMap(s -> s.map(Registry::origin)).forEach(o -> origins.add(normal(Path.of(o))));
        List<String> out = new ArrayList<>();
        for (Path jar : jars()) {
            if (!origins.contains(normal(jar))) {
                out.add(jar + " is on the plugin path but provides no infodyn plugin: it has no META-INF/services/org.infodyn.api.* file "
                        + "naming a provider (a module-info 'provides' alone is not seen on the class path, which ./infodyn uses)");
            }
        }
        return out;
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
