package org.infodyn.api.backend;

/**
 * Float64 matrix work on the device a backend trains on, for probes whose cost grows with a
 * layer's width: the linear decoder's Gram matrix of a convolutional feature map (thousands of
 * features) is the one part of its fit that does, and on a GPU it is the part worth moving there.
 * A backend offers it through {@link Backend#algebra}; infodyn hands it to the probes that ask
 * ({@link org.infodyn.api.probe.ConfiguredProbe#deviceAlgebraSetting()}) as
 * {@link org.infodyn.api.probe.ProbeData#algebra()}.
 *
 * <p>Results are float64 products in the device library's own summation order, so they differ
 * from another implementation's in the last bits (the backend compatibility kit bounds the
 * difference); for a fixed device, library and thread count they are the same on every call.
 *
 * <p>Thread-safe: probe threads call it while the network trains on the training thread. It keeps
 * no native objects between calls, so there is nothing to close (a library's allocator may keep
 * freed device memory cached, as it does for the models).
 */
public interface DeviceAlgebra {

    /** The device the work runs on (the training device of the run that handed it out). */
    DeviceInfo device();

    /**
     * The Gram matrix {@code A Aᵀ} of a block of samples: n rows of k values, products and sums in
     * float64. Every entry is within float64 rounding of the exact sum:
     * {@code |computed − exact| ≤ 2k·2⁻⁵³·Σ_l |a_il·a_jl|}.
     *
     * @param a row-major n × k values; read-only
     * @param n rows (samples), ≥ 1
     * @param k columns (features), ≥ 1
     * @return row-major n × n, both triangles
     * @throws IllegalArgumentException when {@code a.length != n·k}, or n² values do not fit in
     *     one Java array (n > 46,340; {@link #checkGram} checks both)
     */
    double[] gram(double[] a, int n, int k);

    /** Checks {@link #gram}'s arguments, for implementations: the shape, and that n² values fit in one array. */
    static void checkGram(double[] a, int n, int k) {
        if (n < 1 || k < 1 || (long) n * k != a.length) {
            throw new IllegalArgumentException("gram of " + n + " × " + k + " values, got an array of " + a.length);
        }
        if ((long) n * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("gram of " + n + " rows: " + n + "² values exceed one Java array (at most 46,340 rows)");
        }
    }
}
