package org.infodyn.cli;

import java.util.Collection;
import java.util.List;

import org.infodyn.engine.plugin.Registry;

import picocli.CommandLine.Command;

/** {@code infodyn models}: the installed network architectures and their parameters. */
@Command(name = "models", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = "List the installed model architectures with their parameters (the fields of an experiment's 'model' block).")
final class ModelsCommand extends PluginListing {
    @Override
    String kind() {
        return "models";
    }

    @Override
    Collection<Entry> entries(Registry registry) {
        return registry.models().values().stream()
                .map(m -> new Entry(m.id(), m.description(), Registry.describe(m), m.parameters(), List.of())).toList();
    }
}
