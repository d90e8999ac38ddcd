package org.infodyn.probes.decoder;

import java.util.concurrent.CancellationException;

import org.infodyn.api.backend.DeviceAlgebra;

/**
 * The span of a design's samples, for fitting the linear decoder on more features than samples
 * (a convolutional feature map: thousands of features, two thousand fit samples) at the cost of
 * the samples rather than of the features.
 *
 * <p>Why it gives the same optimum: the decoder's objective depends on the weights w only through
 * the logits {@code X w} and the penalty {@code ‖w‖²}, so an optimal w lies in the span of the
 * samples (the representer theorem): {@code w = Xᵀγ}. With the Gram matrix
 * {@code K = X Xᵀ = Z Zᵀ} factored (Z is n × r, r the rank), every such w has a coordinate
 * vector β with {@code X w = Z β} and {@code ‖w‖ = ‖β‖}; minimising the same objective over β on
 * the design Z is therefore the same problem, in r ≤ n unknowns instead of d. Here Z is the
 * pivoted Cholesky factor of K: exact in exact arithmetic, stopped where the remaining diagonal
 * falls below {@value #RELATIVE_TOLERANCE} of the largest (directions the data do not span, to
 * within round-off), with rows in pivot order (the fit's labels are permuted to match).
 *
 * <p>Cost: K takes {@code n²·d/2} multiply-adds (vectorised, {@link Kernels#addProductUpper}),
 * the factorisation about {@code n³/3}; after that a fit's iterations cost {@code n·r} instead of
 * {@code n·d}. Computed once per design and shared by the fits of all variables
 * ({@link DesignMatrix#derived}); immutable.
 */
final class RowSpace {
    /** Pivots below this fraction of K's largest diagonal entry end the factorisation. */
    static final double RELATIVE_TOLERANCE = 1e-12;

    private final DesignMatrix x;
    private final int[] order; // order[p] = the sample at pivot position p
    private final int rank;
    private final double[][] u; // u[k][p], p ≥ k, k < rank: Zᵀ (row k of U is column k of Z)
    private final DesignMatrix basis;

    private RowSpace(DesignMatrix x, int[] order, int rank, double[][] u, DesignMatrix basis) {
        this.x = x;
        this.order = order;
        this.rank = rank;
        this.u = u;
        this.basis = basis;
    }

    /**
     * Values per column block of a Gram computed on a device (32 MB of float64): bounds the copy
     * a block needs on the host and on the device, whatever the layer's width. A block has at
     * least n columns (as many as the layer has), so that the n × n product each returns is never
     * larger than what it was sent.
     */
    static final int DEVICE_BLOCK_VALUES = 1 << 22;

    /** The most values a Java array holds on HotSpot. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** The key of a row space whose Gram was computed on a device (kept apart from infodyn's own). */
    private record OnDevice(DeviceAlgebra algebra) {
    }

    /** The row space of {@code x} (finite values assumed), computed once per matrix. */
    static RowSpace of(DesignMatrix x) {
        return of(x, null);
    }

    /**
     * The row space of {@code x}, its Gram matrix computed on {@code gramDevice} (null: by
     * {@link Kernels#addProductUpper}); computed once per matrix and device.
     */
    static RowSpace of(DesignMatrix x, DeviceAlgebra gramDevice) {
        return gramDevice == null ? x.derived(RowSpace.class, () -> compute(x, null))
                : x.derived(new OnDevice(gramDevice), () -> compute(x, gramDevice));
    }

    private static RowSpace compute(DesignMatrix x, DeviceAlgebra gramDevice) {
        int n = x.rows();
        int d = x.cols();
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = x.row(i);
        }
        double[][] a = new double[n][n];
        if (gramDevice == null) {
            double[][] columns = new double[d][];
            for (int j = 0; j < d; j++) {
                columns[j] = x.column(j);
            }
            Kernels.addProductUpper(a, rows, columns, 0, n, d); // K = X Xᵀ, upper triangle
        } else {
            addGramUpper(a, rows, d, gramDevice);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double largest = 0;
        for (int i = 0; i < n; i++) {
            largest = Math.max(largest, a[i][i]);
        }
        int rank = BlockedCholesky.factorInPlace(a, n, order, RELATIVE_TOLERANCE * largest);
        // Z in pivot order: column k is row k of U (zero before position k); rows by transposing.
        double[][] zColumns = new double[rank][];
        System.arraycopy(a, 0, zColumns, 0, rank);
        double[][] zRows = new double[n][rank];
        for (int k = 0; k < rank; k++) {
            double[] uk = a[k];
            for (int p = k; p < n; p++) {
                zRows[p][k] = uk[p];
            }
        }
        return new RowSpace(x, order, rank, zColumns, DesignMatrix.ofRowsAndColumns(zRows, zColumns, rank).lowerTrapezoidal());
    }

    /**
     * Adds the upper triangle of {@code X Xᵀ} to {@code a}, computed on a device block of columns
     * by block ({@link #DEVICE_BLOCK_VALUES} values each, at least n columns), the blocks'
     * products added on the host in column order: a fixed order, so the same device gives the
     * same sums every time.
     *
     * @throws IllegalArgumentException when n² values do not fit in one Java array (n > 46,340)
     */
    static void addGramUpper(double[][] a, double[][] rows, int d, DeviceAlgebra device) {
        addGramUpper(a, rows, d, device, DEVICE_BLOCK_VALUES);
    }

    /** {@link #addGramUpper(double[][], double[][], int, DeviceAlgebra)} with blocks of at most {@code blockValues} values. */
    static void addGramUpper(double[][] a, double[][] rows, int d, DeviceAlgebra device, int blockValues) {
        int n = rows.length;
        if ((long) n * n > MAX_ARRAY) {
            throw new IllegalArgumentException("a Gram of " + n + " samples on a device: " + n + "² values exceed one Java array;"
                    + " at most 46,340 fit samples with linearAlgebra: backend");
        }
        // n·width ≤ max(n², blockValues): one Java array, by the check above
        int width = Math.min(d, Math.max(n, blockValues / n));
        double[] block = new double[n * width];
        for (int from = 0; from < d; from += width) {
            if (Thread.currentThread().isInterrupted()) { // between blocks, as infodyn's kernel does between tiles
                throw new CancellationException("interrupted (the run is stopping)");
            }
            int k = Math.min(width, d - from);
            double[] values = k == width ? block : new double[n * k];
            for (int i = 0; i < n; i++) {
                System.arraycopy(rows[i], from, values, i * k, k);
            }
            double[] g = device.gram(values, n, k);
            if (g.length != n * n) {
                throw new IllegalStateException("the Gram of " + device.device().id() + " has " + g.length + " values, not " + n + "²");
            }
            for (int i = 0; i < n; i++) {
                double[] ai = a[i];
                for (int j = i; j < n; j++) {
                    ai[j] += g[i * n + j];
                }
            }
        }
    }

    /** r, the number of coordinates. */
    int rank() {
        return rank;
    }

    /** Z: n × r, its rows in pivot order ({@link #sample}). */
    DesignMatrix basis() {
        return basis;
    }

    /** The sample at row {@code p} of {@link #basis()}. */
    int sample(int p) {
        return order[p];
    }

    /**
     * The coordinates β of the weights w: {@code Z β = X w} on the fit samples (exactly, up to
     * round-off, when w's logits lie in the span, which {@code X w} always does). Costs one pass
     * over X and a triangular solve.
     *
     * @param w d weights, read from {@code wFrom}
     * @param beta receives r coordinates from {@code betaFrom}
     */
    void coordinates(double[] w, int wFrom, double[] beta, int betaFrom) {
        int n = x.rows();
        int d = x.cols();
        double[] weights = new double[d];
        System.arraycopy(w, wFrom, weights, 0, d);
        double[] logits = new double[n];
        x.times(weights, 0, logits);
        double[] b = new double[rank];
        for (int p = 0; p < rank; p++) {
            b[p] = logits[order[p]];
        }
        for (int k = 0; k < rank; k++) { // Uᵀ β = b over the pivot rows, row by row of U
            double bk = b[k] / u[k][k];
            b[k] = bk;
            Kernels.axpy(-bk, u[k], b, k + 1, rank);
        }
        System.arraycopy(b, 0, beta, betaFrom, rank);
    }

    /**
     * The weights of the coordinates β: the minimum-norm w with {@code X w = Z β}, and
     * {@code ‖w‖ = ‖β‖}. Costs a triangular solve and r passes over a sample's d features.
     *
     * @param beta r coordinates, read from {@code betaFrom}
     * @param w receives d weights from {@code wFrom}
     */
    void weights(double[] beta, int betaFrom, double[] w, int wFrom) {
        int d = x.cols();
        double[] g = new double[rank];
        System.arraycopy(beta, betaFrom, g, 0, rank);
        for (int k = rank - 1; k >= 0; k--) { // U γ = β over the pivot rows
            double[] uk = u[k];
            double s = g[k];
            for (int q = k + 1; q < rank; q++) {
                s -= uk[q] * g[q];
            }
            g[k] = s / uk[k];
        }
        double[] out = new double[d];
        for (int k = 0; k < rank; k++) {
            Kernels.axpy(g[k], x.row(order[k]), out, d); // w = Σ γ_k x_{sample k}
        }
        System.arraycopy(out, 0, w, wFrom, d);
    }

    @Override
    public String toString() {
        return "RowSpace[" + x.rows() + " samples × " + x.cols() + " features, rank " + rank + "]";
    }
}
