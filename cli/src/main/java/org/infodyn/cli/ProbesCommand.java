package org.infodyn.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.infodyn.api.probe.Probe;
import org.infodyn.engine.plugin.Registry;

import picocli.CommandLine.Command;

/** {@code infodyn probes}: the installed probes, their parameters and metrics. */
@Command(name = "probes", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = {"List the installed probes with their parameters and the metrics they write.",
                "Every probe block also takes: id, label, layers, variables (for probes that measure one), reduce."})
final class ProbesCommand extends PluginListing {
    @Override
    String kind() {
        return "probes";
    }

    @Override
    Collection<Entry> entries(Registry registry) {
        List<Entry> out = new ArrayList<>();
        for (Probe p : registry.probes().values()) {
            List<String> extra = new ArrayList<>();
            extra.add("measures: " + (p.readsActivations() ? "a layer's activations" : "the network's parameters (layers with parameters)")
                    + (p.measuresVariables() ? " about a variable" : ", no variable (do not list variables)"));
            extra.add("metrics:");
            p.metrics().forEach(m -> extra.add("  " + m));
            extra.add("parameters:");
            out.add(new Entry(p.id(), p.description(), Registry.describe(p), p.parameters(), extra));
        }
        return out;
    }
}
