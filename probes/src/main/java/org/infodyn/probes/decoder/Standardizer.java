package org.infodyn.probes.decoder;

import java.util.Arrays;

import org.infodyn.api.data.FloatTensor;

/**
 * Z-scores features with the mean and standard deviation (population, ÷ n) of the decoder's fit
 * samples, as a decoder's normalisation step; the same affine map is then applied to the
 * scoring samples. A feature whose standard deviation on the fit samples is below
 * {@value #CONSTANT_SD} carries no information the decoder could use and would only amplify
 * round-off, so it is mapped to 0 (this covers dead ReLU units). Immutable.
 */
public final class Standardizer {
    /** Features with a smaller standard deviation on the fit samples are treated as constant. */
    public static final double CONSTANT_SD = 1e-8;

    private final double[] mean;
    private final double[] scale; // 1/sd, or 0 for a constant feature

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** The identity map on {@code cols} features (standardisation switched off). */
    public static Standardizer identity(int cols) {
        double[] scale = new double[cols];
        Arrays.fill(scale, 1);
        return new Standardizer(new double[cols], scale);
    }

    /**
     * Learns the mean and standard deviation of each feature over the given rows (two passes in
     * double precision). Non-finite inputs make the statistics non-finite, which
     * {@link #transform} passes on as a non-{@link DesignMatrix#isFinite() finite} matrix.
     *
     * @param features {@code [n, d]}
     * @param rows the fit samples' row indices into {@code features}
     */
    public static Standardizer fit(FloatTensor features, int[] rows) {
        int d = features.dim(1);
        float[] x = features.data();
        double[] mean = new double[d];
        double[] scale = new double[d];
        double[] row = new double[d];
        for (int r : rows) {
            copyRow(x, r * d, row, d);
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        double inv = rows.length == 0 ? Double.NaN : 1.0 / rows.length;
        for (int j = 0; j < d; j++) {
            mean[j] *= inv;
        }
        for (int r : rows) {
            copyRow(x, r * d, row, d);
            for (int j = 0; j < d; j++) {
                double c = row[j] - mean[j];
                scale[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(scale[j] * inv);
            // NaN stays NaN (not "constant") so that a non-finite input is never silently zeroed.
            scale[j] = sd < CONSTANT_SD ? 0 : 1 / sd;
        }
        return new Standardizer(mean, scale);
    }

    private static void copyRow(float[] x, int offset, double[] row, int d) {
        for (int j = 0; j < d; j++) {
            row[j] = x[offset + j];
        }
    }

    /** Number of features. */
    public int cols() {
        return mean.length;
    }

    /**
     * Applies the map to the given rows.
     *
     * @param features {@code [n, d]} with the same d as the fit samples
     * @param rows row indices into {@code features}, in the order wanted
     * @return a new {@code rows.length × d} matrix
     */
    public DesignMatrix transform(FloatTensor features, int[] rows) {
        return transform(features, rows, null);
    }

    /**
     * Applies the map to the given rows, reusing the arrays of a matrix that is no longer used.
     *
     * @param features {@code [n, d]} with the same d as the fit samples
     * @param rows row indices into {@code features}, in the order wanted
     * @param recycled a matrix nobody reads any more, or null: when it is {@code rows.length × d}
     *     its arrays are overwritten and become the new matrix's (it must not be read afterwards);
     *     otherwise new arrays are allocated
     * @return a {@code rows.length × d} matrix
     */
    public DesignMatrix transform(FloatTensor features, int[] rows, DesignMatrix recycled) {
        int d = features.dim(1);
        if (d != mean.length) {
            throw new IllegalArgumentException("features have " + d + " columns, the standardizer " + mean.length);
        }
        float[] x = features.data();
        boolean reuse = recycled != null && recycled.hasShape(rows.length, d);
        double[][] out = reuse ? recycled.rowStorage() : new double[rows.length][d];
        double[] probe = new double[d]; // per feature: 0 while all values are finite, NaN after
        for (int i = 0; i < rows.length; i++) {
            double[] o = out[i];
            copyRow(x, rows[i] * d, o, d);
            for (int j = 0; j < d; j++) {
                // For a constant feature (scale 0) this is ±0 for finite inputs and NaN otherwise.
                double v = (o[j] - mean[j]) * scale[j];
                o[j] = v;
                probe[j] += v * 0;
            }
        }
        return new DesignMatrix(out, d, Kernels.isZero(probe), reuse ? recycled.columnStorage() : null);
    }
}
