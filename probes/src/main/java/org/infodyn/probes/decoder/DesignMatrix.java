package org.infodyn.probes.decoder;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A decoder's input: {@code rows} samples of {@code cols} (standardised) features, in double
 * precision, held both as one array per sample (row) and, built on first use, one array per
 * feature (column).
 *
 * <p>Why arrays of arrays rather than one flat row-major array: HotSpot 17's auto-vectoriser
 * only vectorises a loop when it can rule out overlap between what it loads and what it
 * stores, which it cannot for two differently-offset ranges of the same {@code double[]}. With
 * one array per row or column every hot loop is {@code y[k] += a·x[k]} over whole arrays, which
 * vectorises (measured on this project's 2-core AVX-512 machine: ~5–12 vs ~1.8 GFMA/s). The
 * optimisers use the columns for {@code X·w} and the rows for {@code Xᵀ·r} and {@code XᵀDX}.
 *
 * <p>The arrays are owned by this object and never changed while it is in use; {@link #row} and
 * {@link #column} return them as is (read-only). Once nobody uses a matrix any more, its arrays
 * can be handed to a new matrix of the same shape
 * ({@link Standardizer#transform(org.infodyn.api.data.FloatTensor, int[], DesignMatrix)}), which
 * spares allocating and first touching megabytes at every probe point. Thread-safe: the columns
 * are built once, on first use, under a lock, so that one standardised matrix can serve the probe
 * series of several variables.
 */
public final class DesignMatrix {
    private final double[][] rowArrays;
    private final int cols;
    private final boolean finite;
    private volatile double[][] columnArrays;
    private final double[][] columnStorage; // where to build the columns, or null to allocate
    private final Map<Object, Derived> derived = new HashMap<>();
    private boolean lowerTrapezoidal; // x[i][j] = 0 for j > i: the passes skip those zeros

    /**
     * @param rows one array of {@code cols} values per sample; taken as is (not copied)
     * @param cols number of features
     */
    public DesignMatrix(double[][] rows, int cols) {
        this(rows, cols, allFinite(rows, cols), null);
    }

    /**
     * For producers that have already checked the values (see {@link Standardizer#transform}).
     *
     * @param columnStorage {@code cols} arrays of {@code rows.length} values to build the columns
     *     in, or null to allocate them
     */
    DesignMatrix(double[][] rows, int cols, boolean finite, double[][] columnStorage) {
        this.rowArrays = rows;
        this.cols = cols;
        this.finite = finite;
        this.columnStorage = columnStorage;
    }

    private static boolean allFinite(double[][] rows, int cols) {
        double[] probe = new double[cols];
        for (double[] r : rows) {
            if (r.length != cols) {
                throw new IllegalArgumentException("row of " + r.length + " values in a matrix of " + cols + " columns");
            }
            Kernels.axpy(0, r, probe, cols); // 0·v is 0 for finite v, NaN for NaN and ±∞
        }
        return Kernels.isZero(probe);
    }

    /**
     * A matrix given by both its rows and its columns (taken as is, not copied), for producers
     * that have both at hand ({@link RowSpace}).
     */
    static DesignMatrix ofRowsAndColumns(double[][] rows, double[][] columns, int cols) {
        DesignMatrix m = new DesignMatrix(rows, cols, allFinite(rows, cols), null);
        m.columnArrays = columns;
        return m;
    }

    /**
     * Declares that every entry above the diagonal is zero ({@code x[i][j] = 0} for j > i), as in
     * a Cholesky factor: the passes over the matrix then skip them (half the work of a square one).
     */
    DesignMatrix lowerTrapezoidal() {
        lowerTrapezoidal = true;
        return this;
    }

    /** Whether every entry above the diagonal is zero ({@link #lowerTrapezoidal()}). */
    boolean isLowerTrapezoidal() {
        return lowerTrapezoidal;
    }

    /** The first row of column j that may be non-zero (the ones above it are zero). */
    int columnFrom(int j) {
        return lowerTrapezoidal ? Math.min(j, rowArrays.length) : 0;
    }

    /** One past the last column of row i that may be non-zero (the ones from it on are zero). */
    int rowTo(int i) {
        return lowerTrapezoidal ? Math.min(i + 1, cols) : cols;
    }

    /**
     * Adds {@code Σ_q w_i·x_i x_iᵀ} (i = {@code samples[q]}, q < count) to the upper triangle of the
     * cols × cols matrix {@code g}, as one tiled product ({@link Kernels#addProductUpper}, ~12
     * GFMA/s here) of the weighted transpose and the rows: the data part of a logistic Hessian or
     * of a curvature preconditioner. Rank-one updates would pass over the whole triangle for every
     * sample (~4× slower at 2,000 features).
     *
     * @param weights per sample (indexed by sample, not by q)
     * @param samples the samples, ascending
     * @param scratch null, or cols arrays of at least count values for the weighted transpose
     * @return the scratch used (allocated when null or too short), for the next call
     */
    double[][] addWeightedGramUpper(double[][] g, double[] weights, int[] samples, int count, double[][] scratch) {
        double[][] scaled = scratch != null && scratch.length >= cols && (cols == 0 || scratch[0].length >= count)
                ? scratch : new double[cols][Math.max(count, rows())];
        double[][] picked = new double[count][];
        for (int q = 0; q < count; q++) {
            int i = samples[q];
            double[] row = rowArrays[i];
            double w = weights[i];
            picked[q] = row;
            for (int j = 0; j < cols; j++) {
                scaled[j][q] = w * row[j];
            }
        }
        if (lowerTrapezoidal) { // the samples' rows end at their own index: skip the zeros beyond
            Kernels.addProductUpperTrapezoidal(g, scaled, picked, cols, count, samples);
        } else {
            Kernels.addProductUpper(g, scaled, picked, 0, cols, count);
        }
        return scaled;
    }

    /** A matrix from flat row-major values (copied), for tests and small inputs. */
    public static DesignMatrix ofRowMajor(double[] values, int rows, int cols) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(rows + " × " + cols + " matrix cannot hold " + values.length + " values");
        }
        double[][] r = new double[rows][];
        for (int i = 0; i < rows; i++) {
            r[i] = Arrays.copyOfRange(values, i * cols, (i + 1) * cols);
        }
        return new DesignMatrix(r, cols);
    }

    /** Number of samples. */
    public int rows() {
        return rowArrays.length;
    }

    /** Number of features. */
    public int cols() {
        return cols;
    }

    /** Sample {@code i}'s features (not a copy: read-only). */
    public double[] row(int i) {
        return rowArrays[i];
    }

    /** Feature {@code j} over all samples (not a copy: read-only). */
    public double[] column(int j) {
        return columns()[j];
    }

    private double[][] columns() {
        double[][] c = columnArrays;
        if (c == null) {
            synchronized (this) {
                c = columnArrays;
                if (c == null) {
                    c = transpose();
                    columnArrays = c;
                }
            }
        }
        return c;
    }

    /**
     * {@code out[i] = c + Σ_j v[j]·x[i][j]} for every sample i: X·v plus a constant, over the
     * columns four at a time.
     *
     * @param v at least {@code cols} weights (further entries are ignored)
     * @param c the constant added to every entry
     * @param out receives {@code rows} values
     */
    public void times(double[] v, double c, double[] out) {
        double[][] col = columns();
        int n = rowArrays.length;
        Arrays.fill(out, 0, n, c);
        int j = 0;
        for (; j + 4 <= cols; j += 4) {
            Kernels.addWeighted4(out, v[j], col[j], v[j + 1], col[j + 1], v[j + 2], col[j + 2], v[j + 3], col[j + 3],
                    columnFrom(j), n);
        }
        for (; j < cols; j++) {
            Kernels.axpy(v[j], col[j], out, columnFrom(j), n);
        }
    }

    /**
     * {@code out[j] += Σ_i w[i]·x[i][j]} for every feature j: adds Xᵀ·w, over the rows four at a
     * time.
     *
     * @param w {@code rows} sample weights
     * @param out at least {@code cols} entries; those beyond are not touched
     */
    public void addTransposeTimes(double[] w, double[] out) {
        int n = rowArrays.length;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            Kernels.addWeighted4(out, w[i], rowArrays[i], w[i + 1], rowArrays[i + 1], w[i + 2], rowArrays[i + 2],
                    w[i + 3], rowArrays[i + 3], 0, rowTo(i + 3));
        }
        for (; i < n; i++) {
            Kernels.axpy(w[i], rowArrays[i], out, 0, rowTo(i));
        }
    }

    /**
     * A value computed from this matrix alone (its Gram factor, its row space), computed once per
     * key, on first use, and shared by every decoder that fits on this matrix: the series of all
     * the variables probed on one layer at one point use the same fit matrix. Thread-safe: a
     * second thread asking for the same key waits for the first one's result; different keys are
     * computed concurrently.
     *
     * @param key identifies the value; equal keys must mean equal computations
     * @param compute computes it (may return null)
     */
    @SuppressWarnings("unchecked")
    <T> T derived(Object key, Supplier<T> compute) {
        Derived slot;
        synchronized (derived) {
            slot = derived.computeIfAbsent(key, k -> new Derived());
        }
        synchronized (slot) {
            if (!slot.done) {
                slot.value = compute.get();
                slot.done = true;
            }
            return (T) slot.value;
        }
    }

    /** Drops the {@link #derived} values (for a matrix whose storage is about to be reused). */
    public void forgetDerived() {
        synchronized (derived) {
            derived.clear();
        }
    }

    /** One {@link #derived} value, computed once. */
    private static final class Derived {
        private boolean done;
        private Object value;
    }

    /** One value. */
    public double get(int i, int j) {
        return rowArrays[i][j];
    }

    /** True when every value is finite (no NaN, no ±∞). */
    public boolean isFinite() {
        return finite;
    }

    /** True when this matrix has {@code rows} rows of {@code cols} features. */
    boolean hasShape(int rows, int cols) {
        return rowArrays.length == rows && this.cols == cols;
    }

    /** The row arrays, for a new matrix of the same shape once this one is no longer used. */
    double[][] rowStorage() {
        return rowArrays;
    }

    /** The column arrays (built or not), for a new matrix of the same shape; null if never allocated. */
    double[][] columnStorage() {
        double[][] c = columnArrays;
        return c != null ? c : columnStorage;
    }

    private double[][] transpose() {
        int n = rowArrays.length;
        double[][] c = columnStorage != null ? columnStorage : new double[cols][n];
        // Eight features (one cache line of each row) at a time, so rows are read once.
        for (int j0 = 0; j0 < cols; j0 += 8) {
            int j1 = Math.min(cols, j0 + 8);
            for (int i = 0; i < n; i++) {
                double[] r = rowArrays[i];
                for (int j = j0; j < j1; j++) {
                    c[j][i] = r[j];
                }
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return "DesignMatrix[" + rows() + " × " + cols + "]";
    }
}
