package org.infodyn.probes.geometry;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.probes.decoder.Kernels;

/**
 * The centred Gram matrix {@code K = H X Xᵀ H} of n samples' representations ({@code H} removes
 * the mean sample), double precision: what linear CKA compares and whose spectrum is the
 * representation's (the non-zero eigenvalues of {@code XᵀH X}). Cost n²·d/2 multiply-adds, on the
 * decoders' kernel ({@link Kernels#addProductUpper}).
 */
final class CentredGram {
    private CentredGram() {
    }

    /**
     * @param x {@code [N, d]} features
     * @param rows the rows to use (n of them)
     * @return the n × n centred Gram matrix
     */
    static double[][] of(FloatTensor x, int[] rows) {
        int d = x.dim(1);
        int n = rows.length;
        float[] v = x.data();
        double[] mean = new double[d];
        for (int r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += v[r * d + j];
            }
        }
        double[][] centred = new double[n][d];
        double[][] columns = new double[d][n];
        for (int i = 0; i < n; i++) {
            int off = rows[i] * d;
            for (int j = 0; j < d; j++) {
                double c = v[off + j] - mean[j] / n;
                centred[i][j] = c;
                columns[j][i] = c;
            }
        }
        // The decoders' tiled kernel (vectorised axpys) rather than dot products, which HotSpot does
        // not vectorise: cka of cnn-small's block1 (1,000 samples × 6,272) 2.16 s → 0.31 s (infodyn bench).
        double[][] k = new double[n][n];
        Kernels.addProductUpper(k, centred, columns, 0, n, d);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                k[j][i] = k[i][j];
            }
        }
        return k;
    }

    /** The Frobenius inner product {@code Σ a_ij b_ij}. */
    static double inner(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double[] ai = a[i];
            double[] bi = b[i];
            for (int j = 0; j < ai.length; j++) {
                s += ai[j] * bi[j];
            }
        }
        return s;
    }

    /**
     * Linear CKA (Kornblith et al., ICML 2019) of two representations of the same samples from
     * their centred Gram matrices: {@code ⟨K, L⟩ / (‖K‖ ‖L‖)}; NaN when either is constant.
     */
    static double cka(double[][] k, double normK, double[][] l, double normL) {
        return normK == 0 || normL == 0 ? Double.NaN : inner(k, l) / (normK * normL);
    }

    /** The Frobenius norm. */
    static double norm(double[][] k) {
        return Math.sqrt(inner(k, k));
    }
}
