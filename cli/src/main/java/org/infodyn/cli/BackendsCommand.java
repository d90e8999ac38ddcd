package org.infodyn.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.BackendUnavailableException;
import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.plugin.Registry;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code infodyn backends}: what is installed, what would be chosen and why, versions, devices. */
@Command(name = "backends", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = {"List the installed backends and say which one a run would use, and why.",
                "For each: library versions, devices and the layer kinds it can build.",
                "Loads each backend's native library (seconds on first use; --no-load skips that)."})
final class BackendsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--no-load", description = "do not load native libraries (no versions or devices)")
    boolean noLoad;

    @Option(names = {"-v", "--verbose"}, description = "stack traces on errors, library INFO logs")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Registry registry = Registry.load();
        out.printf("backends found: %d%n", registry.backends().size());
        int width = registry.backends().stream().mapToInt(b -> b.id().length()).max().orElse(0);
        for (Backend b : registry.backends()) {
            Backend.Availability a = b.availability();
            out.printf("%n  %-" + width + "s  %s  (priority %d)%s%n", b.id(), b.displayName(), b.priority(),
                    a.available() ? "" : "  UNAVAILABLE: " + a.reason());
            out.printf("           layers:   %s%n", String.join(", ", new TreeSet<>(b.supportedLayerKinds())));
            out.printf("           provider: %s%n", Registry.describe(b));
            if (a.available() && !noLoad) {
                try {
                    BackendInfo info = b.describe();
                    out.printf("           versions: %s%n", join(info.versions()));
                    for (int i = 0; i < info.devices().size(); i++) {
                        out.printf("           %s  %s%n", i == 0 ? "devices:" : "        ", info.devices().get(i).describe());
                    }
                    Map<String, String> notes = new LinkedHashMap<>(info.notes());
                    String gpu = notes.remove(BackendInfo.GPU_NOTE);
                    if (gpu != null) {
                        out.printf("           gpu:      %s%n", gpu);
                    }
                    out.printf("           deterministic on one machine: %s%n", info.deterministic() ? "yes" : "no");
                    if (!notes.isEmpty()) {
                        out.printf("           notes:    %s%n", join(notes));
                    }
                } catch (BackendUnavailableException | LinkageError e) {
                    out.printf("           cannot load: %s%n", e.getMessage());
                }
            }
        }
        registry.problems().forEach(p -> out.printf("%nproblem: %s%n", p));
        PluginPath.silentJars(registry).forEach(w -> out.printf("%nwarning: %s%n", w));
        out.println();
        try {
            Registry.BackendChoice c = registry.chooseBackend(Optional.empty(), Optional.empty(),
                    Optional.ofNullable(System.getenv(Registry.BACKEND_ENV)));
            out.printf("chosen by default: %s — %s%n", c.backend().id(), c.reason());
        } catch (ConfigException e) {
            out.printf("chosen by default: none — %s%n", e.getMessage());
        }
        out.println("override with: --backend ID, the experiment's 'backend' field, or " + Registry.BACKEND_ENV + "=ID");
        return Main.OK;
    }

    private static String join(Map<String, String> m) {
        return m.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
