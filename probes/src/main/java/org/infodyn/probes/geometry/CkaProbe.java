package org.infodyn.probes.geometry;

import java.util.List;
import java.util.Optional;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.Probe;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.probes.support.Configured;

/**
 * {@code cka}: linear centred kernel alignment (Kornblith, Norouzi, Lee &amp; Hinton, ICML 2019)
 * between a layer's representation of the held-out samples now and (a) at the series' first
 * point (the initialisation, with the default schedule), (b) at the previous point, and (c) the
 * representation of another layer ({@code with}) at the same point. With centred Gram matrices
 * {@code K = H X Xᵀ H}, {@code CKA(X, Y) = ⟨K_X, K_Y⟩ / (‖K_X‖ ‖K_Y‖)}: 1 for representations
 * equal up to an orthogonal transform and an isotropic scaling, 0 for unrelated ones. Measures no
 * variable.
 */
public final class CkaProbe implements Probe {
    /** The probe id in experiment files. */
    public static final String ID = "cka";

    private static final List<ParamSpec> PARAMETERS = List.of(
            ParamSpec.integer("samples", 1000,
                    "held-out samples compared (a seeded subset, the same at every point); cost samples² × features per point, memory 2 × samples² doubles per layer (and 2 × samples × features while a Gram is built)")
                    .atLeast(3).atMost(20_000),
            ParamSpec.string("with", "", "another layer of the model: also measure cka_with, the CKA between the two layers at each point"));

    /** Public no-argument constructor, for {@link java.util.ServiceLoader}. */
    public CkaProbe() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "linear CKA of a layer's representation with its initial and previous self and with another layer";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public List<String> metrics() {
        return List.of(
                "cka_init: linear CKA with the layer at the series' first point (step 0 by default; 1 there), in [0, 1]",
                "cka_previous: linear CKA with the layer at the previous point (empty at the first), in [0, 1]",
                "cka_with: linear CKA with layer `with` at the same point (empty without `with`), in [0, 1]");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("cka_init");
    }

    @Override
    public boolean measuresVariables() {
        return false;
    }

    @Override
    public ConfiguredProbe configure(Params params) {
        int samples = params.getInt("samples");
        String with = params.getString("with").trim();
        return new Configured(params, with.isEmpty() ? List.of() : List.of(with), Optional.empty(),
                (layer, seed) -> new Series(samples, with, seed));
    }

    /** One layer's CKA over training: keeps the centred Gram matrices of the first and the previous point. */
    private static final class Series implements ProbeSeries {
        private final int samples;
        private final String with;
        private final long seed;
        private int[] rows;
        private double[][] first;
        private double firstNorm;
        private double[][] previous;
        private double previousNorm;

        Series(int samples, String with, long seed) {
            this.samples = samples;
            this.with = with;
            this.seed = seed;
        }

        @Override
        public List<Measurement> measure(ProbeData data) {
            var x = data.heldOut().features();
            if (rows == null) {
                rows = Subset.of(x.rows(), samples, seed);
            }
            double[][] k = CentredGram.of(x, rows);
            double norm = CentredGram.norm(k);
            if (first == null) {
                first = k;
                firstNorm = norm;
            }
            double init = CentredGram.cka(k, norm, first, firstNorm);
            double prev = previous == null ? Double.NaN : CentredGram.cka(k, norm, previous, previousNorm);
            double other = Double.NaN;
            if (!with.isEmpty()) {
                double[][] l = CentredGram.of(data.companions().get(with), rows);
                other = CentredGram.cka(k, norm, l, CentredGram.norm(l));
            }
            previous = k;
            previousNorm = norm;
            return List.of(new Measurement("cka_init", init), new Measurement("cka_previous", prev), new Measurement("cka_with", other));
        }
    }

    @Override
    public String toString() {
        return ID;
    }
}
