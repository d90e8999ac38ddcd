package org.infodyn.api.backend;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a backend reports about itself once its natives are loaded; shown by
 * {@code infodyn backends} and recorded in every run's manifest.
 *
 * @param id the backend id
 * @param displayName human-readable name
 * @param versions library name → version (e.g. {@code DJL → 0.36.0, PyTorch → 2.7.1})
 * @param devices devices it can run on, e.g. {@code [cpu]} or {@code [cpu, gpu(0)]}
 * @param layerKinds layer kinds it builds
 * @param deterministic whether a fixed seed gives bit-identical results on one machine
 * @param notes free-form details (native cache location, flavour, …)
 */
public record BackendInfo(String id, String displayName, Map<String, String> versions, List<String> devices,
        Set<String> layerKinds, boolean deterministic, Map<String, String> notes) {

    public BackendInfo {
        versions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(versions)); // keep the backend's order
        devices = List.copyOf(devices);
        layerKinds = Set.copyOf(layerKinds);
        notes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notes));
    }
}
