package org.infodyn.tasks.io;

import org.infodyn.api.config.ConfigException;

/** Refuses, before allocating, data that cannot fit in the JVM's heap. */
public final class Heap {
    private Heap() {
    }

    /**
     * Checks that {@code bytes} more can be allocated, leaving a tenth of the free heap for the rest
     * of the run (the run planner then checks what training and probing need, with the data held).
     *
     * @param field the experiment field to blame
     * @param what what needs the memory, for the message (e.g. {@code 1,000,000 rows × 227 features})
     * @throws ConfigException when it cannot
     */
    public static void require(String field, long bytes, String what) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > Integer.MAX_VALUE * 4L - 32 || bytes > 0.9 * free) {
            throw new ConfigException(field, what + " need " + mib(bytes) + " MiB of heap, but " + mib(free) + " MiB are free of "
                    + mib(rt.maxMemory()) + (bytes > Integer.MAX_VALUE * 4L - 32 ? " (and one array holds at most 2^31 values)" : "")
                    + "; use fewer rows or features, or raise the heap with INFODYN_JAVA_OPTS=-Xmx…");
        }
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
