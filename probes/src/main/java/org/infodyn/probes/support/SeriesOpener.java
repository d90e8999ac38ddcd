package org.infodyn.probes.support;

import org.infodyn.api.probe.ProbeSeries;

/** Opens the series of one layer (for probes that measure no variable). */
@FunctionalInterface
public interface SeriesOpener {
    /**
     * @param layer the layer
     * @param seed the series' seed
     */
    ProbeSeries open(String layer, long seed);
}
