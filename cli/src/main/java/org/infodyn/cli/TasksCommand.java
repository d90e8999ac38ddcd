package org.infodyn.cli;

import java.util.Collection;
import java.util.List;

import org.infodyn.engine.plugin.Registry;

import picocli.CommandLine.Command;

/** {@code infodyn tasks}: the installed tasks and their parameters. */
@Command(name = "tasks", mixinStandardHelpOptions = true, versionProvider = InfodynCommand.Version.class,
        description = "List the installed tasks with their parameters (the fields of an experiment's 'task' block).")
final class TasksCommand extends PluginListing {
    @Override
    String kind() {
        return "tasks";
    }

    @Override
    Collection<Entry> entries(Registry registry) {
        return registry.tasks().values().stream()
                .map(t -> new Entry(t.id(), t.description(), Registry.describe(t), t.parameters(), List.of())).toList();
    }
}
