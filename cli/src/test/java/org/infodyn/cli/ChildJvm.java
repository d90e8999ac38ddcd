package org.infodyn.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The command line of a fresh JVM running {@code infodyn} from the tests' own class path, for what needs a process of its own. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** The tests' module path and class path, joined as one class path (as the launcher runs infodyn). */
    static String classPath() {
        return Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""))
                .flatMap(p -> Stream.of(p.split(File.pathSeparator))).filter(p -> !p.isBlank())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** {@code java … org.infodyn.cli.Main ARGS} on the tests' class path. */
    static List<String> infodyn(String... args) {
        return infodynOn(classPath(), args);
    }

    /** {@code java … org.infodyn.cli.Main ARGS} on {@code classPath}, offline, with the tests' native cache. */
    static List<String> infodynOn(String classPath, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dinfodyn.cache.dir=" + System.getProperty("infodyn.cache.dir", System.getProperty("java.io.tmpdir")),
                "-cp", classPath, "org.infodyn.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
