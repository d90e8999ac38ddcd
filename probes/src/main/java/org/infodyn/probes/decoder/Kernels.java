package org.infodyn.probes.decoder;

/**
 * The dense loops the decoders spend their time in. Every loop runs over whole arrays with one
 * index, the only shape HotSpot 17 auto-vectorises (see {@link DesignMatrix}). Results are
 * deterministic: Java fixes the evaluation order, so the JIT cannot reassociate sums.
 */
final class Kernels {
    private Kernels() {
    }

    /** {@code Σ a[j]·b[j]} for j in [0, n); four partial sums to break the add latency chain. */
    static double dot(double[] a, double[] b, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j <= n - 4; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y[j] += alpha·x[j]} for j in [0, n). */
    static void axpy(double alpha, double[] x, double[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += alpha * x[j];
        }
    }

    /**
     * Adds {@code Σ_r a_r·x_r x_rᵀ} over four samples to the upper triangle (k ≥ j) of {@code h}:
     * four rank-one updates per pass over h, so h is loaded and stored a quarter as often.
     */
    static void addRank4Upper(double[][] h, int n, double a0, double[] x0, double a1, double[] x1, double a2, double[] x2,
            double a3, double[] x3) {
        for (int j = 0; j < n; j++) {
            double b0 = a0 * x0[j];
            double b1 = a1 * x1[j];
            double b2 = a2 * x2[j];
            double b3 = a3 * x3[j];
            double[] hj = h[j];
            for (int k = j; k < n; k++) {
                hj[k] += b0 * x0[k] + b1 * x1[k] + b2 * x2[k] + b3 * x3[k];
            }
        }
    }

    /** {@code y[j] += Σ_r a_r·x_r[j]} over four inputs: y is loaded and stored once for four. */
    static void addWeighted4(double[] y, double a0, double[] x0, double a1, double[] x1, double a2, double[] x2,
            double a3, double[] x3, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }

    /** Adds {@code a·x xᵀ} to the upper triangle of {@code h}. */
    static void addRank1Upper(double[][] h, int n, double a, double[] x) {
        for (int j = 0; j < n; j++) {
            double b = a * x[j];
            double[] hj = h[j];
            for (int k = j; k < n; k++) {
                hj[k] += b * x[k];
            }
        }
    }

    /** Float {@code Σ a[j]·b[j]}, four partial sums. */
    static float dot(float[] a, float[] b, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j <= n - 4; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Float {@code y[j] += alpha·x[j]}. */
    static void axpy(float alpha, float[] x, float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += alpha * x[j];
        }
    }

    /** True when every entry is exactly zero (NaN is not). */
    static boolean isZero(double[] v) {
        for (double e : v) {
            if (e != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code y_r[j] += a_r·x[j]} for four outputs: x is loaded once for four samples. */
    static void axpy4(float a0, float a1, float a2, float a3, float[] x, float[] y0, float[] y1, float[] y2, float[] y3,
            int n) {
        for (int j = 0; j < n; j++) {
            float v = x[j];
            y0[j] += a0 * v;
            y1[j] += a1 * v;
            y2[j] += a2 * v;
            y3[j] += a3 * v;
        }
    }

    /** {@code y[j] += Σ_r a_r·x_r[j]} over four inputs: y is loaded and stored once for four samples. */
    static void addWeighted4(float[] y, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3,
            float[] x3, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }
}
