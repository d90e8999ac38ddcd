package org.infodyn.engine.experiment;

import java.nio.file.Path;
import java.util.Map;

import org.infodyn.api.config.ConfigException;

/**
 * Reads experiment files: parses them ({@link ExperimentParser}), applies command-line overrides
 * and binds them ({@link ExperimentBinder}), or expands their sweep grid ({@link SweepExpander}).
 */
public final class ExperimentReader {
    private ExperimentReader() {
    }

    /** Reads and binds a file with no overrides. */
    public static Experiment read(Path file) {
        return read(file, Overrides.none());
    }

    /**
     * Reads and binds a file.
     *
     * @throws ConfigException for a missing or unreadable file, a syntax error (with line and
     *     column), or a bad field (with its path, and the override that set it, if any)
     */
    public static Experiment read(Path file, Overrides overrides) {
        Map<String, Object> tree = ExperimentParser.parseFile(file);
        if (tree.containsKey(SweepExpander.SWEEP)) {
            throw new ConfigException(SweepExpander.SWEEP, "this experiment defines a sweep: run it with 'infodyn sweep " + file
                    + "' (or remove the sweep block to run the base experiment)");
        }
        return ExperimentBinder.bind(tree, overrides, ExperimentParser.stem(file));
    }

    /**
     * Reads an experiment with a {@code sweep} block and expands its grid.
     *
     * @throws ConfigException as {@link #read} does, and for a missing or malformed sweep block
     */
    public static Sweep readSweep(Path file, Overrides overrides) {
        return SweepExpander.expand(ExperimentParser.parseFile(file), overrides, ExperimentParser.stem(file));
    }

    /**
     * Reads an experiment file's text (checked as {@link #read} checks it), for a program that
     * expands the same sweep elsewhere ({@link #readSweep(String, String, Overrides)}).
     */
    public static String readText(Path file) {
        return ExperimentParser.readText(file);
    }

    /**
     * Expands the sweep of an experiment file's text, exactly as {@link #readSweep(Path, Overrides)}
     * expands the file: on a cluster's workers, from the text the driver read.
     *
     * @param fileName the file's name as the user gave it: names the text in messages, chooses
     *     JSON or YAML by its extension, and gives the default experiment name
     */
    public static Sweep readSweep(String text, String fileName, Overrides overrides) {
        return SweepExpander.expand(ExperimentParser.parseText(text, fileName), overrides, ExperimentParser.stem(Path.of(fileName)));
    }
}
