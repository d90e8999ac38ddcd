package org.infodyn.probes.weights;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.LiveNetwork;
import org.infodyn.api.probe.NetworkFacts;
import org.infodyn.api.probe.NetworkInspection;
import org.infodyn.api.probe.Probe;
import org.infodyn.probes.support.Configured;

/**
 * {@code weights}: per layer with parameters, the Euclidean norm of its trainable parameters
 * (weights and biases together; batch-norm running statistics excluded) and their distance from
 * the run's initial parameters. Measures no variable and reads no activations.
 */
public final class WeightsProbe implements Probe {
    /** The probe id in experiment files. */
    public static final String ID = "weights";
    static final List<String> METRICS = List.of("norm", "distance_from_init", "relative_distance");

    /** Public no-argument constructor, for {@link java.util.ServiceLoader}. */
    public WeightsProbe() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "per layer: the norm of the trainable parameters and their distance from initialisation";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of();
    }

    @Override
    public List<String> metrics() {
        return List.of(
                "norm: ‖θ‖, the Euclidean norm of the layer's trainable parameters",
                "distance_from_init: ‖θ − θ₀‖, from the parameters the run started with",
                "relative_distance: ‖θ − θ₀‖ / ‖θ₀‖ (empty when θ₀ = 0)");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("distance_from_init");
    }

    @Override
    public boolean measuresVariables() {
        return false;
    }

    @Override
    public boolean readsActivations() {
        return false;
    }

    @Override
    public ConfiguredProbe configure(Params params) {
        return new Configured(params, List.of(), Optional.of(WeightsProbe::inspect), (layer, seed) -> new LayerFactsSeries(layer, METRICS));
    }

    /** Every layer's norm and distance from initialisation. */
    static NetworkFacts inspect(LiveNetwork network, long step, long seed) {
        Parameters now = network.parameters();
        Parameters start = network.initialParameters();
        Map<String, double[]> perLayer = new LinkedHashMap<>(); // layer → {‖θ‖², ‖θ−θ₀‖², ‖θ₀‖²}
        for (ParameterSpec p : network.spec().parameters()) {
            if (!p.trainable()) {
                continue;
            }
            float[] v = now.get(p.name()).data();
            float[] v0 = start.get(p.name()).data();
            double[] s = perLayer.computeIfAbsent(p.layer(), k -> new double[3]);
            for (int i = 0; i < v.length; i++) {
                double dv = (double) v[i] - v0[i];
                s[0] += (double) v[i] * v[i];
                s[1] += dv * dv;
                s[2] += (double) v0[i] * v0[i];
            }
        }
        Map<String, Double> facts = new LinkedHashMap<>();
        perLayer.forEach((layer, s) -> {
            facts.put(LayerFactsSeries.key(layer, "norm"), Math.sqrt(s[0]));
            facts.put(LayerFactsSeries.key(layer, "distance_from_init"), Math.sqrt(s[1]));
            facts.put(LayerFactsSeries.key(layer, "relative_distance"), s[2] > 0 ? Math.sqrt(s[1] / s[2]) : Double.NaN);
        });
        return new NetworkFacts(facts);
    }

    @Override
    public String toString() {
        return ID;
    }
}
