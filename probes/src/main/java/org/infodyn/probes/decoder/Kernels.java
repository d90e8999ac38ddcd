package org.infodyn.probes.decoder;

import java.util.concurrent.CancellationException;

/**
 * The dense loops the decoders spend their time in (and the geometry probes', through the public
 * ones). Every loop runs over whole arrays with one index, the only shape HotSpot
 * 17 auto-vectorises (see {@link DesignMatrix}). Results are deterministic: Java fixes the
 * evaluation order, so the JIT cannot reassociate sums.
 */
public final class Kernels {
    private Kernels() {
    }

    /** {@code Σ a[j]·b[j]} for j in [0, n); four partial sums to break the add latency chain. */
    public static double dot(double[] a, double[] b, int n) {
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

    /** {@code y[j] += Σ_r a_r·x_r[j]} over four inputs, for j in [from, to). */
    static void addWeighted4(double[] y, double a0, double[] x0, double a1, double[] x1, double a2, double[] x2,
            double a3, double[] x3, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }

    /** {@code y[j] += alpha·x[j]} for j in [from, to). */
    static void axpy(double alpha, double[] x, double[] y, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] += alpha * x[j];
        }
    }

    /** Rows of a tile of {@link #addProductUpper}: with {@link #TILE_COLUMNS}, measured fastest. */
    private static final int TILE_ROWS = 64;
    /** Columns of a tile of {@link #addProductUpper} (64 × 1,024 doubles: half a megabyte, in L2). */
    private static final int TILE_COLUMNS = 1024;

    /**
     * {@code g[a][b] += Σ_p v[a][p]·t[p][b]} for {@code from ≤ a ≤ b < m}: the upper triangle of
     * a symmetric product such as a Gram matrix ({@code t} the transpose of {@code v}) or the
     * trailing update of a Cholesky factorisation. Written as vectorisable axpys over the rows of
     * {@code t}, tile by tile so that a tile of g stays in cache while every p passes over it:
     * measured at ~14 GFMA/s on this project's machine (a 2,000 × 6,272 Gram), against ~1 for dot
     * products, which HotSpot does not vectorise (Java fixes their order of summation).
     *
     * @param v m arrays (those from {@code from} on are read) of at least len entries
     * @param t len arrays of at least m entries
     * @throws java.util.concurrent.CancellationException when the thread is interrupted (checked
     *     between tiles: a Gram of a wide layer takes seconds, and a stopping run must not wait)
     */
    public static void addProductUpper(double[][] g, double[][] v, double[][] t, int from, int m, int len) {
        addProductUpper(g, v, t, from, m, len, null);
    }

    /**
     * {@link #addProductUpper(double[][], double[][], double[][], int, int, int)} over terms p
     * taken from the rows {@code rowOf[p]} (ascending) of a lower-trapezoidal matrix, so that
     * {@code v[a][p] = 0} for {@code a > rowOf[p]} and {@code t[p][b] = 0} for {@code b > rowOf[p]}:
     * each group of four terms touches only the rows and columns up to its last row, about a third
     * of the work of a square product when every row is a term. Only exact zeros are skipped, in
     * the same groups of four as the plain kernel's, so for finite values the sums are bit for bit
     * the same (a NaN or infinite weight would spread to entries the plain kernel fills and this
     * one skips).
     */
    static void addProductUpperTrapezoidal(double[][] g, double[][] v, double[][] t, int m, int len, int[] rowOf) {
        addProductUpper(g, v, t, 0, m, len, rowOf);
    }

    /** The tiled kernel of both: {@code rowOf} null for a plain product. */
    private static void addProductUpper(double[][] g, double[][] v, double[][] t, int from, int m, int len, int[] rowOf) {
        for (int a0 = from; a0 < m; a0 += TILE_ROWS) {
            if (Thread.currentThread().isInterrupted()) { // a Gram of a wide layer takes seconds
                throw new CancellationException("interrupted (the run is stopping)");
            }
            int a1 = Math.min(m, a0 + TILE_ROWS);
            for (int b0 = a0; b0 < m; b0 += TILE_COLUMNS) {
                int b1 = Math.min(m, b0 + TILE_COLUMNS);
                // trapezoidal: terms whose rows end before this tile's columns add zeros only; start on a group boundary
                int p = rowOf == null ? 0 : firstAtLeast(rowOf, len, b0) & ~3;
                for (; p + 4 <= len; p += 4) {
                    int aEnd = rowOf == null ? a1 : Math.min(a1, rowOf[p + 3] + 1);
                    int bEnd = rowOf == null ? b1 : Math.min(b1, rowOf[p + 3] + 1);
                    double[] t0 = t[p];
                    double[] t1 = t[p + 1];
                    double[] t2 = t[p + 2];
                    double[] t3 = t[p + 3];
                    for (int a = a0; a < aEnd; a++) {
                        double[] va = v[a];
                        addWeighted4(g[a], va[p], t0, va[p + 1], t1, va[p + 2], t2, va[p + 3], t3, Math.max(b0, a), bEnd);
                    }
                }
                for (; p < len; p++) {
                    for (int a = a0; a < a1; a++) {
                        axpy(v[a][p], t[p], g[a], Math.max(b0, a), b1);
                    }
                }
            }
        }
    }

    /** The first index p < len with {@code sorted[p] ≥ value} ({@code len} if none). */
    static int firstAtLeast(int[] sorted, int len, int value) {
        int lo = 0;
        int hi = len;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
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

    /**
     * The indices i, ascending, with {@code w[i] ≥ fraction·max(w)}: the samples whose curvature
     * is not negligible, for a Hessian or a curvature preconditioner.
     *
     * @param out receives the indices (at least w.length entries)
     * @return how many
     */
    static int atLeastFractionOfLargest(double[] w, double fraction, int[] out) {
        double largest = 0;
        for (double v : w) {
            largest = Math.max(largest, v);
        }
        double cutoff = fraction * largest;
        int count = 0;
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] < cutoff)) {
                out[count++] = i;
            }
        }
        return count;
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
