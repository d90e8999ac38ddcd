package org.infodyn.cli;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;

import org.infodyn.api.backend.BackendUnavailableException;
import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.sweep.SweepIncompleteException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one-line messages and exit codes: usage, configuration and installation
 * problems (a bad experiment, a backend whose native library is missing, a path that cannot be
 * written) exit 2; anything else is an internal error and exits 1. The stack trace is shown only
 * with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        // --verbose belongs to the subcommand that ran, not to the top-level command
        boolean verbose = cl.getParseResult() != null && cl.getParseResult().hasMatchedOption("--verbose");
        if (ex instanceof ConfigException) {
            err.println("infodyn: error: " + oneLine(ex.getMessage()));
            trace(ex, err, verbose);
            return Main.USAGE;
        }
        if (ex instanceof BackendUnavailableException) {
            err.println("infodyn: error: backend unavailable: " + oneLine(ex.getMessage()));
            trace(ex, err, verbose);
            return Main.USAGE;
        }
        if (ex instanceof FileSystemException f) {
            err.println(oneLine("infodyn: error: cannot use " + f.getFile() + (f.getOtherFile() == null ? "" : " or " + f.getOtherFile())
                    + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName())));
            trace(ex, err, verbose);
            return Main.USAGE;
        }
        if (ex instanceof SweepIncompleteException) { // not a bug: the cluster lost runs; a resume finishes
            err.println("infodyn: error: " + oneLine(ex.getMessage()));
            trace(ex, err, verbose);
            return Main.RUN_FAILED;
        }
        err.println("infodyn: internal error: " + ex.getClass().getSimpleName() + ": " + oneLine(ex.getMessage()));
        if (verbose) {
            ex.printStackTrace(err);
        } else {
            err.println("(run again with --verbose for the stack trace; please report it)");
        }
        return Main.RUN_FAILED;
    }

    private static void trace(Exception ex, PrintWriter err, boolean verbose) {
        if (verbose) {
            ex.printStackTrace(err);
        }
    }

    /** Picocli's parse errors: the message, a hint, exit code 2. */
    static int usage(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("infodyn: error: " + oneLine(ex.getMessage()));
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        return Main.USAGE;
    }

    /**
     * A message as one line: a user's value may hold line breaks (a quoted YAML string, a file
     * name), and a refusal must stay a single line that scripts can read.
     */
    static String oneLine(String message) {
        return String.valueOf(message).replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r");
    }
}
