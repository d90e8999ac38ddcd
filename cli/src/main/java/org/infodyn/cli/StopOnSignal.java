package org.infodyn.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.infodyn.engine.run.StopSignal;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a {@link StopSignal} for the runs of one command: they
 * end as interrupted after their current step, with what they measured so far, and the command
 * exits with {@value Main#INTERRUPTED}. A watchdog makes sure the process is gone within
 * {@value #GRACE_MILLIS} ms even if something does not listen (a native call that takes long); a
 * second signal ends it at once. Files are never left half-written either way: the manifest is
 * replaced atomically and an unfinished {@code metrics.csv} keeps its {@code .partial} name.
 *
 * <p>Why {@code sun.misc.Signal} and not a shutdown hook: a hook runs while the JVM is already
 * going down, in parallel with the run, which then has no chance to record how it ended; a
 * handler asks the run to stop and lets it finish its files.
 */
final class StopOnSignal implements AutoCloseable {
    /** Longest time between a signal and the end of the process. */
    static final long GRACE_MILLIS = 1800;

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopOnSignal() {
    }

    /** Installs the handlers until {@link #close()} (which puts back the previous ones). */
    static StopOnSignal install(StopSignal stop, PrintWriter err) {
        StopOnSignal s = new StopOnSignal();
        SignalHandler handler = sig -> {
            String name = "SIG" + sig.getName();
            if (stop.isRequested()) {
                Runtime.getRuntime().halt(Main.INTERRUPTED); // the second signal: no more waiting
            }
            stop.request(name);
            err.println();
            err.println("infodyn: " + name + ": stopping; the runs in progress end as interrupted after their current step"
                    + " (a second signal stops at once)");
            err.flush();
            Thread watchdog = new Thread(() -> {
                try {
                    TimeUnit.MILLISECONDS.sleep(GRACE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                err.println("infodyn: " + name + ": still busy after " + GRACE_MILLIS + " ms; stopping now (manifests may still say 'running')");
                err.flush();
                Runtime.getRuntime().halt(Main.INTERRUPTED);
            }, "infodyn-stop-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        };
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal sig = new Signal(name);
                s.previous.add(Signal.handle(sig, handler));
                s.signals.add(sig);
            } catch (IllegalArgumentException e) {
                // not a signal on this platform, or reserved by the JVM (-Xrs): the default then applies
            }
        }
        return s;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
