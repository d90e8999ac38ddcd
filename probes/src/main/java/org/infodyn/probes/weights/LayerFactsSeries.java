package org.infodyn.probes.weights;

import java.util.ArrayList;
import java.util.List;

import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;

/**
 * The series of a probe that measures parameters: its inspection computed every layer's numbers
 * at the point, keyed {@code layer/metric}; the series of one layer reads its own.
 */
final class LayerFactsSeries implements ProbeSeries {
    private final String layer;
    private final List<String> metrics;

    LayerFactsSeries(String layer, List<String> metrics) {
        this.layer = layer;
        this.metrics = List.copyOf(metrics);
    }

    /** The key of one layer's metric in the point's {@link org.infodyn.api.probe.NetworkFacts}. */
    static String key(String layer, String metric) {
        return layer + "/" + metric;
    }

    @Override
    public List<Measurement> measure(ProbeData data) {
        List<Measurement> out = new ArrayList<>(metrics.size());
        for (String m : metrics) {
            out.add(new Measurement(m, data.network().get(key(layer, m))));
        }
        return out;
    }
}
