package org.infodyn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.experiment.Experiment;
import org.infodyn.api.experiment.ExperimentReader;
import org.infodyn.api.experiment.Overrides;
import org.infodyn.api.plugin.Registry;

/**
 * What every command that takes an experiment does first: read it with its overrides, load the
 * plugins, choose the backend (flag, then the experiment's field, then {@code INFODYN_BACKEND},
 * then priority).
 *
 * @param experiment the bound experiment
 * @param registry the installed plugins
 * @param backend the chosen backend and why
 */
record Setup(Experiment experiment, Registry registry, Registry.BackendChoice backend) {

    static Setup load(Path file, List<String> sets, String backendFlag, PrintWriter warnings) {
        Experiment exp = ExperimentReader.read(file, Overrides.parse(sets, ExperimentReader::parseValue));
        Registry registry = Registry.load();
        registry.problems().forEach(p -> warnings.println("infodyn: warning: " + p));
        try {
            Registry.BackendChoice choice = registry.chooseBackend(Optional.ofNullable(backendFlag), exp.backend(),
                    Optional.ofNullable(System.getenv(Registry.BACKEND_ENV)));
            return new Setup(exp, registry, choice);
        } catch (ConfigException e) {
            throw exp.overrides().attribute(e);
        }
    }
}
