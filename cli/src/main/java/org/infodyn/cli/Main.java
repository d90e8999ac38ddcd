package org.infodyn.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import picocli.CommandLine;

/**
 * Entry point of the {@code infodyn} command. Exit codes: 0 success, 1 a run failed or diverged
 * (or an internal error), 2 a usage, configuration or installation error (a backend that cannot
 * load included), 130 stopped by Ctrl-C or SIGTERM.
 */
public final class Main {
    /** Exit code for success. */
    public static final int OK = 0;
    /** Exit code for a failed or diverged run. */
    public static final int RUN_FAILED = 1;
    /** Exit code for a usage, configuration or installation error. */
    public static final int USAGE = 2;
    /** Exit code after Ctrl-C or SIGTERM (128 + SIGINT's number, as shells report it). */
    public static final int INTERRUPTED = 130;

    private Main() {
    }

    public static void main(String[] args) {
        if (!verbose(args)) {
            NativeStderr.filter();
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    private static boolean verbose(String[] args) {
        return Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
    }

    /** Runs the command line in-process (tests use this) and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Logging.configure(verbose(args));
        CommandLine cl = new CommandLine(new InfodynCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(ErrorHandler::usage);
        return cl.execute(args);
    }
}
