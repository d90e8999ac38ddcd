package org.infodyn.api.backend;

import java.util.Locale;

/**
 * Where and how a network runs.
 *
 * @param device {@code cpu}, {@code gpu} (fails when the backend finds none) or {@code auto}
 *     (a GPU when the backend has one, else the CPU)
 * @param threads intra-op threads for the backend's CPU kernels; 1 is fastest for small
 *     networks (measured: two threads make a 4→100→100→2 MLP slower on every backend)
 */
public record BuildOptions(String device, int threads) {

    /** The allowed device values. */
    public static final java.util.List<String> DEVICES = java.util.List.of("auto", "cpu", "gpu");

    public BuildOptions {
        device = device.toLowerCase(Locale.ROOT);
        if (!DEVICES.contains(device)) {
            throw new IllegalArgumentException("device must be one of " + DEVICES + ", got " + device);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
    }

    /** CPU, one thread. */
    public static BuildOptions cpu() {
        return new BuildOptions("cpu", 1);
    }
}
