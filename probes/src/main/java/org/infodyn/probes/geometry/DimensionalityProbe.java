package org.infodyn.probes.geometry;

import java.util.List;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.Probe;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.probes.support.Configured;

/**
 * {@code dimensionality}: how many dimensions a layer's representation of the held-out samples
 * spreads over, from the eigenvalues λ of its covariance (population, centred with the samples'
 * mean): the participation ratio {@code (Σλ)² / Σλ²} (1 for one direction, d for isotropic
 * variance in d dimensions) and the number of principal components that explain 90 % of the
 * variance. The spectrum comes from the d × d covariance or, when the layer has more features
 * than samples, from the samples' Gram matrix (the same non-zero eigenvalues). Measures no variable.
 */
public final class DimensionalityProbe implements Probe {
    /** The probe id in experiment files. */
    public static final String ID = "dimensionality";
    /** The explained-variance fraction of {@code components_90}. */
    static final double FRACTION = 0.9;

    private static final List<ParamSpec> PARAMETERS = List.of(
            ParamSpec.integer("samples", 1000,
                    "held-out samples (a seeded subset, the same at every point); cost min(samples, features)³ per point")
                    .atLeast(2).atMost(20_000));

    /** Public no-argument constructor, for {@link java.util.ServiceLoader}. */
    public DimensionalityProbe() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "participation ratio and principal components for 90 % of the variance of a layer's representation";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public List<String> metrics() {
        return List.of(
                "participation_ratio: (Σλ)² / Σλ² of the covariance eigenvalues λ, in [1, min(samples, features)] (empty for a constant layer)",
                "components_90: principal components needed for 90 % of the variance (empty for a constant layer)",
                "total_variance: Σλ, the summed variance of the features");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("participation_ratio");
    }

    @Override
    public boolean measuresVariables() {
        return false;
    }

    @Override
    public ConfiguredProbe configure(Params params) {
        int samples = params.getInt("samples");
        return Configured.of(params, (layer, seed) -> new Series(samples, seed));
    }

    /** One layer's spectrum over training, on a subset of held-out samples drawn at the first point and kept. */
    private static final class Series implements ProbeSeries {
        private final int samples;
        private final long seed;
        private int[] rows;

        Series(int samples, long seed) {
            this.samples = samples;
            this.seed = seed;
        }

        @Override
        public List<Measurement> measure(ProbeData data) {
            FloatTensor x = data.heldOut().features();
            if (rows == null) {
                rows = Subset.of(x.rows(), samples, seed);
            }
            return DimensionalityProbe.measure(spectrum(x, rows));
        }
    }

    /** The covariance eigenvalues (descending; n or d of them, whichever is smaller). */
    static double[] spectrum(FloatTensor x, int[] rows) {
        int n = rows.length;
        int d = x.dim(1);
        double[][] m;
        if (d > n) {
            m = CentredGram.of(x, rows);
        } else {
            float[] v = x.data();
            double[] mean = new double[d];
            for (int r : rows) {
                for (int j = 0; j < d; j++) {
                    mean[j] += v[r * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            m = new double[d][d];
            double[] c = new double[d];
            for (int r : rows) {
                for (int j = 0; j < d; j++) {
                    c[j] = v[r * d + j] - mean[j];
                }
                for (int a = 0; a < d; a++) {
                    double ca = c[a];
                    double[] row = m[a];
                    for (int b = 0; b <= a; b++) {
                        row[b] += ca * c[b];
                    }
                }
            }
        }
        double[] lambda = SymmetricEigenvalues.of(m);
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = Math.max(0, lambda[i]) / n; // rounding makes zero eigenvalues slightly negative
        }
        return lambda;
    }

    /** The metrics of a spectrum (descending eigenvalues). */
    static List<Measurement> measure(double[] lambda) {
        double total = 0;
        double squares = 0;
        for (double l : lambda) {
            total += l;
            squares += l * l;
        }
        double ratio = squares > 0 ? total * total / squares : Double.NaN;
        double components = Double.NaN;
        if (total > 0) {
            double cumulative = 0;
            for (int i = 0; i < lambda.length; i++) {
                cumulative += lambda[i];
                if (cumulative >= FRACTION * total * (1 - 1e-12)) {
                    components = i + 1;
                    break;
                }
            }
        }
        return List.of(new Measurement("participation_ratio", ratio), new Measurement("components_90", components),
                new Measurement("total_variance", total));
    }

    @Override
    public String toString() {
        return ID;
    }
}
