package org.example.infodyn.separation;

import java.util.List;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.Probe;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;

/**
 * {@code class-separation} (example plugin): how far apart the classes of a variable sit in a
 * layer, as the ratio of between-class to within-class variance (the one-dimensional Fisher
 * criterion), averaged over the layer's units. Computed on the held-out probe split; needs no fit
 * samples and keeps no state between probe points.
 */
public final class SeparationProbe implements Probe {
    private static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.decimal("epsilon", 1e-8, "added to the within-class variance of each unit, so a constant unit scores 0").atLeast(0));

    @Override
    public String id() {
        return "class-separation";
    }

    @Override
    public String description() {
        return "between- over within-class variance of a layer's units, averaged (example plugin)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMS;
    }

    @Override
    public List<String> metrics() {
        return List.of("separation: between-class over within-class variance, mean over units (a ratio, no unit)",
                "active_units: fraction of units whose variance over the samples is above zero");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("separation");
    }

    @Override
    public ConfiguredProbe configure(Params params) {
        double epsilon = params.getDouble("epsilon");
        return new ConfiguredProbe() {
            @Override
            public Params params() {
                return params;
            }

            @Override
            public int fitSamples() {
                return 0; // held-out samples only
            }

            @Override
            public ProbeSeries open(String layer, String variableName, int classes, long seed) {
                return data -> measure(data, epsilon);
            }
        };
    }

    static List<Measurement> measure(ProbeData data, double epsilon) {
        LabelledFeatures held = data.heldOut();
        FloatTensor x = held.features();
        int n = held.size();
        int d = held.dimension();
        int k = data.classes();
        float[] v = x.data();
        int[] y = held.labels();
        double ratio = 0;
        int active = 0;
        for (int j = 0; j < d; j++) {
            double[] sum = new double[k];
            int[] count = new int[k];
            double total = 0;
            for (int i = 0; i < n; i++) {
                sum[y[i]] += v[i * d + j];
                count[y[i]]++;
                total += v[i * d + j];
            }
            double mean = total / n;
            double between = 0;
            double within = 0;
            for (int i = 0; i < n; i++) {
                double m = sum[y[i]] / count[y[i]];
                within += (v[i * d + j] - m) * (v[i * d + j] - m);
                between += (m - mean) * (m - mean);
            }
            if (between + within > 0) {
                active++;
            }
            ratio += between / (within + epsilon * n);
        }
        return List.of(new Measurement("separation", ratio / d), new Measurement("active_units", (double) active / d));
    }
}
