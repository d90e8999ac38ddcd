package org.infodyn.cli;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.engine.plugin.Registry;

import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The shape of {@code infodyn tasks}, {@code probes} and {@code models}: every installed plugin of
 * one kind with its description, extra lines and parameters.
 */
abstract class PluginListing implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "stack traces on errors")
    boolean verbose;

    /**
     * One plugin as listed.
     *
     * @param provider the class and the jar or folder it came from
     */
    record Entry(String id, String description, String provider, List<ParamSpec> params, List<String> extra) {
    }

    /** The kind, plural, e.g. {@code tasks}. */
    abstract String kind();

    /** The installed plugins of this kind. */
    abstract Collection<Entry> entries(Registry registry);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Registry registry = Registry.load();
        Collection<Entry> entries = entries(registry);
        out.printf("%s found: %d%n", kind(), entries.size());
        for (Entry e : entries) {
            out.printf("%n  %s%n      %s%n", e.id(), e.description());
            e.extra().forEach(x -> out.printf("      %s%n", x));
            if (e.params().isEmpty()) {
                out.printf("      (no parameters)%n");
            }
            e.params().forEach(p -> out.printf("      - %s%n", p.summary()));
            out.printf("      provider: %s%n", e.provider());
        }
        PluginPath.silentJars(registry).forEach(w -> out.printf("%nwarning: %s%n", w));
        return Main.OK;
    }
}
