package org.infodyn.engine.sweep;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

import org.infodyn.engine.experiment.ExperimentParser;
import org.infodyn.engine.experiment.ExperimentReader;
import org.infodyn.engine.experiment.Overrides;
import org.infodyn.engine.experiment.Sweep;

/**
 * What a sweep is made from, as the user gave it: the experiment file's text (read once) and the
 * command line's overrides. It travels to a cluster's workers, which expand the same sweep from
 * it without reading the file themselves (no shared filesystem is needed for the experiment).
 *
 * @param fileName the experiment file as the user named it (messages, JSON or YAML, default name)
 * @param text the file's text
 * @param overrides the {@code --set} assignments, in order
 */
public record SweepSource(String fileName, String text, List<String> overrides) implements Serializable {
    private static final long serialVersionUID = 1L;

    public SweepSource {
        overrides = List.copyOf(overrides);
    }

    /**
     * Reads an experiment file.
     *
     * @throws org.infodyn.api.config.ConfigException for a missing, unreadable, oversized or non-text file
     */
    public static SweepSource read(Path file, List<String> overrides) {
        return new SweepSource(file.toString(), ExperimentReader.readText(file), overrides);
    }

    /**
     * Expands the sweep grid.
     *
     * @throws org.infodyn.api.config.ConfigException as {@link ExperimentReader#readSweep(Path, Overrides)} does
     */
    public Sweep expand() {
        return ExperimentReader.readSweep(text, fileName, Overrides.parse(overrides, ExperimentParser::parseValue));
    }
}
