package org.infodyn.api.backend;

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
 * @param devices devices it can run on, e.g. {@code [cpu]} or {@code [cpu, gpu(0)]}
 * @param deterministic whether a fixed seed gives bit-identical results on one machine
 * @param notes free-form details (native cache location, flavour, …), in the backend's order
 */
public record BackendInfo(Map<String, String> versions, List<String> devices, boolean deterministic, Map<String, String> notes) {

    public BackendInfo {
        versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        devices = List.copyOf(devices);
        notes = Collections.unmodifiableMap(new LinkedHashMap<>(notes));
    }
}
