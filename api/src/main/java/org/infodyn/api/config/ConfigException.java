package org.infodyn.api.config;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * A problem with what the user asked for: a bad experiment file, an unknown id, a value out of
 * range. It is a usage error (the command line exits with code 2), never a bug, so its message
 * is written for the user: it names the field, the bad value and what is allowed.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String path;

    /**
     * @param path where the problem is, as a path into the experiment (e.g. {@code
     *     train.phases[0].lr}); empty when the problem is not tied to a field
     * @param message what is wrong and what is allowed, one line, no trailing period needed
     */
    public ConfigException(String path, String message) {
        super(path.isEmpty() ? message : path + ": " + message);
        this.path = path;
    }

    /** A problem not tied to a field of the experiment (a file, a directory, a flag). */
    public ConfigException(String message) {
        this("", message);
    }

    /** Same, keeping the low-level cause for {@code --verbose} output. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.path = "";
    }

    /** The experiment path the problem is tied to, or empty. */
    public String path() {
        return path;
    }

    /** Formats a list of allowed values for a message: {@code a, b, c} (sorted as given). */
    public static String list(Collection<?> allowed) {
        return allowed.isEmpty() ? "(none)" : allowed.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
