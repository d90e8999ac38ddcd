package org.infodyn.testkit;

import java.util.concurrent.atomic.AtomicInteger;

import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.backend.DeviceInfo;

/**
 * A {@link DeviceAlgebra} on the host's CPU by plain double loops (every entry summed over the
 * columns in order), counting its calls: for tests of probes and backends that use device algebra
 * without a backend's native library. Thread-safe.
 */
public final class ReferenceAlgebra implements DeviceAlgebra {
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public DeviceInfo device() {
        return DeviceInfo.hostCpu();
    }

    @Override
    public double[] gram(double[] a, int n, int k) {
        DeviceAlgebra.checkGram(a, n, k);
        calls.incrementAndGet();
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int l = 0; l < k; l++) {
                    s += a[i * k + l] * a[j * k + l];
                }
                g[i * n + j] = s;
            }
        }
        return g;
    }

    /** How many times {@link #gram} has been called. */
    public int calls() {
        return calls.get();
    }
}
