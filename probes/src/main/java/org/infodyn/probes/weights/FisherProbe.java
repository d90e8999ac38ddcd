package org.infodyn.probes.weights;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.LiveNetwork;
import org.infodyn.api.probe.NetworkFacts;
import org.infodyn.api.probe.NetworkInspection;
import org.infodyn.api.probe.Probe;
import org.infodyn.probes.support.Configured;
import org.infodyn.api.random.Rng;

/**
 * {@code fisher}: the trace of the Fisher information of the weights, in total and per layer, as
 * Achille, Rovere &amp; Soatto (ICLR 2019) track it to find critical learning periods:
 * {@code tr F = E_x E_{ŷ ~ p_θ(·|x)} ‖∇_θ log p_θ(ŷ|x)‖²}, the labels ŷ sampled from the
 * network's own output (the true Fisher, not the "empirical" one with the data's labels).
 *
 * <p>Estimator: {@code samples} held-out inputs (evenly spaced through the probe split, the same
 * at every point), in batches of {@code batch}; per batch the labels are drawn from the
 * network's softmax (inference mode), the gradient {@code g} of the batch's mean cross-entropy is
 * taken without an update, and {@code batch · ‖g‖²} is averaged over batches. Unbiased for any
 * batch size (the score has zero mean under the model's own labels, so cross terms between
 * samples vanish in expectation); batch 1 (per-sample gradients, the default) has the least
 * variance, larger batches cost fewer backward passes. Measures no variable; reads no activations
 * of its layers; needs a backend that computes gradients.
 */
public final class FisherProbe implements Probe {
    /** The probe id in experiment files. */
    public static final String ID = "fisher";
    static final List<String> METRICS = List.of("trace", "trace_total");

    private static final List<ParamSpec> PARAMETERS = List.of(
            ParamSpec.integer("samples", 200, "held-out inputs per point (evenly spaced through the probe split, the same at every point)")
                    .atLeast(1).atMost(1_000_000),
            ParamSpec.integer("batch", 1, "inputs per gradient: 1 = per-sample gradients (least variance); larger = fewer backward passes")
                    .atLeast(1).atMost(4096));

    /** Public no-argument constructor, for {@link java.util.ServiceLoader}. */
    public FisherProbe() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "trace of the Fisher information of the weights (labels sampled from the network), per layer and in total";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public List<String> metrics() {
        return List.of(
                "trace: the layer's share of tr F, Σ over its trainable parameters of E‖∂ log p(ŷ|x)/∂θ‖² (nats² per unit² of the parameters)",
                "trace_total: tr F of the whole network (the same in every layer's rows)");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("trace");
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
        int samples = params.getInt("samples");
        int batch = params.getInt("batch");
        NetworkInspection inspection = new NetworkInspection() {
            @Override
            public NetworkFacts inspect(LiveNetwork network, long step, long seed) {
                return FisherProbe.inspect(network, samples, batch, seed);
            }

            @Override
            public boolean needsGradients() {
                return true;
            }
        };
        return new Configured(params, List.of(), Optional.of(inspection), (layer, seed) -> new LayerFactsSeries(layer, METRICS));
    }

    /** The estimate at one point: per layer and total, keyed for {@link LayerFactsSeries}. */
    static NetworkFacts inspect(LiveNetwork network, int samples, int batch, long seed) {
        int n = network.probeSize();
        int m = Math.min(samples, n);
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) {
            rows[i] = (int) ((long) i * n / m);
        }
        FloatTensor chosen = network.probeInputs(rows);
        int[] inOrder = java.util.stream.IntStream.range(0, m).toArray();
        String output = network.spec().outputLayer().name();
        int k = network.spec().outputClasses();
        Rng rng = new Rng(seed);
        Map<String, Double> perLayer = new LinkedHashMap<>();
        int batches = 0;
        for (int from = 0; from < m; from += batch) {
            int to = Math.min(from + batch, m);
            FloatTensor x = chosen.gatherRows(inOrder, from, to);
            float[] logits = network.activations(x, List.of(output)).get(output).data();
            int[] labels = new int[to - from];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = sample(logits, i * k, k, rng);
            }
            Parameters g = network.gradient(x, labels);
            for (ParameterSpec p : network.spec().parameters()) {
                if (p.trainable()) {
                    double s = 0;
                    for (float v : g.get(p.name()).data()) {
                        s += (double) v * v;
                    }
                    perLayer.merge(p.layer(), s * labels.length, Double::sum);
                }
            }
            batches++;
        }
        Map<String, Double> facts = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> e : perLayer.entrySet()) {
            double trace = e.getValue() / batches;
            facts.put(LayerFactsSeries.key(e.getKey(), "trace"), trace);
            total += trace;
        }
        for (String layer : perLayer.keySet()) {
            facts.put(LayerFactsSeries.key(layer, "trace_total"), total); // each layer's series reports the total too
        }
        return new NetworkFacts(facts);
    }

    /** A class drawn from softmax(logits[off .. off+k)). */
    static int sample(float[] logits, int off, int k, Rng rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, logits[off + c]);
        }
        double sum = 0;
        double[] p = new double[k];
        for (int c = 0; c < k; c++) {
            p[c] = Math.exp(logits[off + c] - max);
            sum += p[c];
        }
        double u = rng.nextDouble() * sum;
        for (int c = 0; c < k - 1; c++) {
            u -= p[c];
            if (u < 0) {
                return c;
            }
        }
        return k - 1;
    }

    @Override
    public String toString() {
        return ID;
    }
}
