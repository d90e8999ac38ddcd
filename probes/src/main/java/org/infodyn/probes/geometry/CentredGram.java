package org.infodyn.probes.geometry;

import org.infodyn.api.data.FloatTensor;

/**
 * The centred Gram matrix {@code K = H X Xᵀ H} of n samples' representations ({@code H} removes
 * the mean sample), double precision: what linear CKA compares and whose spectrum is the
 * representation's (the non-zero eigenvalues of {@code XᵀH X}). Cost n²·d/2 multiply-adds.
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
        for (int i = 0; i < n; i++) {
            int off = rows[i] * d;
            for (int j = 0; j < d; j++) {
                centred[i][j] = v[off + j] - mean[j] / n;
            }
        }
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] a = centred[i];
            for (int j = 0; j <= i; j++) {
                double[] b = centred[j];
                double s = 0;
                for (int f = 0; f < d; f++) {
                    s += a[f] * b[f];
                }
                k[i][j] = s;
                k[j][i] = s;
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
