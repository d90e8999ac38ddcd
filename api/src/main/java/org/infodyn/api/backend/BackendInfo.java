package org.infodyn.api.backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a backend reports about itself once its natives are loaded (its id, name and layer kinds
 * are {@link Backend}'s own); shown by {@code infodyn backends} and recorded in every run's
 * manifest.
 *
 * @param versions library name → version (e.g. {@code DJL → 0.36.0, PyTorch → 2.7.1}), in the backend's order
 * @param devices the devices it can run on now, the CPU (if it can) first, then its GPUs
 *     ({@link DeviceInfo#hostCpu()}, {@link DeviceInfo#gpu})
 * @param deterministic whether a fixed seed gives bit-identical results on one machine
 * @param notes free-form details (native cache location, flavour, …), in the backend's order;
 *     {@link #GPU_NOTE} says what it can and cannot do on a GPU here
 */
public record BackendInfo(Map<String, String> versions, List<DeviceInfo> devices, boolean deterministic, Map<String, String> notes) {

    /**
     * The note that says what the backend can or cannot do on a GPU on this machine and build,
     * e.g. why it sees none: quoted when a GPU was asked for and cannot be had.
     */
    public static final String GPU_NOTE = "gpu";

    public BackendInfo {
        versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        devices = devices(devices);
        notes = Collections.unmodifiableMap(new LinkedHashMap<>(notes));
    }

    /**
     * The devices as given; plugins built before {@link DeviceInfo} existed pass device names
     * ({@code cpu}, {@code gpu(0)}) in this list (the same erased type), which still work.
     */
    private static List<DeviceInfo> devices(List<?> given) {
        List<DeviceInfo> out = new ArrayList<>();
        for (Object d : given) {
            if (d instanceof DeviceInfo info) {
                out.add(info);
            } else if (d instanceof String name) {
                out.add(DeviceInfo.ofName(name));
            } else {
                throw new IllegalArgumentException("a device is a DeviceInfo, got " + d);
            }
        }
        return List.copyOf(out);
    }

    /** For a backend that runs on the host's CPU only (no GPU note). */
    public static BackendInfo cpuOnly(Map<String, String> versions, boolean deterministic, Map<String, String> notes) {
        return new BackendInfo(versions, List.of(DeviceInfo.hostCpu()), deterministic, notes);
    }
}
