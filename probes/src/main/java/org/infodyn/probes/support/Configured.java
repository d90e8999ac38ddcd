package org.infodyn.probes.support;

import java.util.List;
import java.util.Optional;

import org.infodyn.api.config.Params;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.NetworkInspection;
import org.infodyn.api.probe.ProbeSeries;

/**
 * A configured probe whose series share nothing and that wants no fit samples: what the
 * geometry and weight probes return from {@code configure}. Immutable, so thread-safe.
 */
public final class Configured implements ConfiguredProbe {
    private final Params params;
    private final List<String> companionLayers;
    private final Optional<NetworkInspection> inspection;
    private final SeriesOpener opener;

    /**
     * @param params the effective settings
     * @param companionLayers layers whose held-out activations every series receives
     * @param inspection work with the live network at each point, if any
     * @param opener opens a series for a layer
     */
    public Configured(Params params, List<String> companionLayers, Optional<NetworkInspection> inspection, SeriesOpener opener) {
        this.params = params;
        this.companionLayers = List.copyOf(companionLayers);
        this.inspection = inspection;
        this.opener = opener;
    }

    /** Series from {@code opener}, nothing else. */
    public static Configured of(Params params, SeriesOpener opener) {
        return new Configured(params, List.of(), Optional.empty(), opener);
    }

    @Override
    public Params params() {
        return params;
    }

    /** 0: these probes read the held-out split only, or the network. */
    @Override
    public int fitSamples() {
        return 0;
    }

    @Override
    public List<String> companionLayers() {
        return companionLayers;
    }

    @Override
    public Optional<NetworkInspection> inspection() {
        return inspection;
    }

    @Override
    public ProbeSeries open(String layer, String variableName, int classes, long seed) {
        return opener.open(layer, seed);
    }
}
