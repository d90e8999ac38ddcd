package org.infodyn.cli;

import java.io.PrintWriter;

import org.infodyn.api.backend.BackendUnavailableException;
import org.infodyn.api.config.ConfigException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one-line messages and exit codes: configuration errors exit 2, backend
 * and run failures exit 1. The stack trace is shown only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        // --verbose belongs to the subcommand that ran, not to the top-level command
        boolean verbose = cl.getParseResult() != null && cl.getParseResult().hasMatchedOption("--verbose");
        if (ex instanceof ConfigException) {
            err.println("infodyn: error: " + ex.getMessage());
            trace(ex, err, verbose);
            return Main.USAGE;
        }
        if (ex instanceof BackendUnavailableException) {
            err.println("infodyn: backend unavailable: " + ex.getMessage());
            trace(ex, err, verbose);
            return Main.RUN_FAILED;
        }
        err.println("infodyn: internal error: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
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
        err.println("infodyn: error: " + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        return Main.USAGE;
    }
}
