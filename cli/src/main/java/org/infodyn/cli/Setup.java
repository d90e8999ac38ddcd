package org.infodyn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.infodyn.engine.Engine;
import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.plugin.Registry;

/**
 * What every command that takes an experiment does first: load the plugins (warning about broken
 * ones), read the experiment with its overrides, choose the backend.
 *
 * @param engine the engine with the installed plugins
 * @param experiment the bound experiment
 * @param backend the chosen backend and why
 */
record Setup(Engine engine, Experiment experiment, Registry.BackendChoice backend) {

    static Setup load(Path file, List<String> sets, String backendFlag, PrintWriter warnings) {
        Engine engine = Engine.withInstalledPlugins();
        Experiment exp = engine.read(file, sets);
        engine.registry().problems().forEach(p -> warnings.println("infodyn: warning: " + p));
        return new Setup(engine, exp, engine.backendFor(exp, Optional.ofNullable(backendFlag)));
    }
}
