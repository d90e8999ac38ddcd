package org.infodyn.api.backend;

import java.util.List;
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
    public static final List<String> DEVICES = List.of("auto", "cpu", "gpu");

    public BuildOptions {
        device = device.toLowerCase(Locale.ROOT);
        if (!DEVICES.contains(device)) {
            throw new IllegalArgumentException("device must be one of " + DEVICES + ", got " + device);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
    }

    /**
     * For a backend built with its CPU native library only: refuses {@code device: gpu} (with
     * {@code auto} it runs on the CPU).
     *
     * @param backendId the backend, for the message
     * @param gpuBuild what a GPU build of it would need, for the message
     * @throws BackendUnavailableException when a GPU was asked for
     */
    public void requireCpuBuild(String backendId, String gpuBuild) {
        if (device.equals("gpu")) {
            throw new BackendUnavailableException("device gpu was requested but this build of the " + backendId
                    + " backend ships only its CPU native library; use device: cpu or auto (" + gpuBuild + ")");
        }
    }

    /** CPU, one thread. */
    public static BuildOptions cpu() {
        return new BuildOptions("cpu", 1);
    }
}
