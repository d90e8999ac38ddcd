package org.infodyn.api.backend;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where and how a network runs.
 *
 * @param device {@code auto} (the backend's first GPU when it has one, else the CPU), {@code cpu},
 *     {@code gpu} (the first GPU; fails when the backend sees none) or {@code gpu:N} (GPU N of
 *     those the backend sees, counted from 0 after {@code CUDA_VISIBLE_DEVICES})
 * @param threads intra-op threads for the backend's CPU kernels; 1 is fastest for small
 *     networks (measured: two threads make a 4→100→100→2 MLP slower on every backend)
 */
public record BuildOptions(String device, int threads) {

    /** The allowed device values, as error messages list them. */
    public static final List<String> DEVICES = List.of("auto", "cpu", "gpu", "gpu:N");

    public BuildOptions {
        String given = device.strip();
        device = parseDevice(given).orElseThrow(() -> new IllegalArgumentException("device must be one of " + DEVICES + ", got "
                + given.toLowerCase(Locale.ROOT)));
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
    }

    /**
     * {@code value} in lower case when it is one of {@link #DEVICES} (N a non-negative integer),
     * else empty: the one check of a device value, wherever it is read.
     */
    public static Optional<String> parseDevice(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.matches("auto|cpu|gpu|gpu:\\d{1,4}") ? Optional.of(lower) : Optional.empty();
    }

    /** Whether a GPU was asked for ({@code gpu} or {@code gpu:N}); {@code auto} is not. */
    public boolean wantsGpu() {
        return device.startsWith("gpu");
    }

    /** The N of {@code gpu:N}; empty for the other values. */
    public OptionalInt gpuIndex() {
        return device.startsWith("gpu:") ? OptionalInt.of(Integer.parseInt(device.substring(4))) : OptionalInt.empty();
    }

    /**
     * The device a backend runs on for these options, chosen from the devices it reports: what
     * {@link Backend#device} does unless a backend knows better.
     *
     * @param backendId the backend, for messages
     * @param info what the backend reported; its note {@link BackendInfo#GPU_NOTE} says why it
     *     sees no GPU
     * @throws BackendUnavailableException naming the device asked for, what the backend has and why
     */
    public DeviceInfo resolve(String backendId, BackendInfo info) {
        List<DeviceInfo> gpus = info.devices().stream().filter(DeviceInfo::isGpu).toList();
        String why = info.notes().getOrDefault(BackendInfo.GPU_NOTE, "");
        String has = "backend " + backendId + " has " + info.devices().stream().map(DeviceInfo::id).toList();
        switch (device) {
            case "cpu":
                return info.devices().stream().filter(d -> !d.isGpu()).findFirst().orElseThrow(() -> new BackendUnavailableException(
                        "device cpu was requested but " + has + (why.isEmpty() ? "" : ": " + why) + "; use device: auto or gpu"));
            case "auto":
                return gpus.isEmpty() ? onDevice("cpu").resolve(backendId, info) : gpus.get(0);
            default:
                int n = gpuIndex().orElse(0);
                if (gpus.isEmpty()) {
                    throw new BackendUnavailableException("device " + device + " was requested, but backend " + backendId
                            + " cannot run on a GPU here: " + (why.isEmpty() ? "it lists none" : why) + "; use device: cpu or auto");
                }
                return gpus.stream().filter(g -> g.gpuIndex().orElseThrow() == n).findFirst().orElseThrow(() ->
                        new BackendUnavailableException("device " + device + " was requested but " + has + "; use one of those"));
        }
    }

    /**
     * Refuses a GPU for a backend that has none.
     *
     * @param backendId the backend, for the message
     * @param why why it has no GPU
     * @throws BackendUnavailableException when {@code gpu} or {@code gpu:N} was asked for
     * @deprecated list the devices in {@link BackendInfo#devices()} (with {@link BackendInfo#GPU_NOTE})
     *     and call {@link Backend#device}; kept so that plugins built against earlier versions
     *     still run
     */
    @Deprecated
    public void requireCpuBuild(String backendId, String why) {
        if (wantsGpu()) {
            throw new BackendUnavailableException("device " + device + " was requested, but backend " + backendId
                    + " cannot run on a GPU here: " + why + "; use device: cpu or auto");
        }
    }

    /** The same options on another device. */
    public BuildOptions onDevice(String other) {
        return new BuildOptions(other, threads);
    }

    /** CPU, one thread. */
    public static BuildOptions cpu() {
        return new BuildOptions("cpu", 1);
    }
}
