package org.infodyn.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.backend.DeviceInfo;

/**
 * Float64 products in PyTorch on the run's device (CUDA's or the CPU's BLAS), through DJL. Each
 * call has its own manager, closed before it returns, so no native memory outlives it; PyTorch
 * runs independent tensors from several threads safely.
 */
final class DjlAlgebra implements DeviceAlgebra {
    private final DeviceInfo device;

    DjlAlgebra(DeviceInfo device) {
        this.device = device;
    }

    @Override
    public DeviceInfo device() {
        return device;
    }

    @Override
    public double[] gram(double[] a, int n, int k) {
        DeviceAlgebra.checkGram(a, n, k);
        try (NDManager m = DjlRuntime.engine().newBaseManager(DjlRuntime.device(device))) {
            NDArray x = m.create(a, new Shape(n, k));
            return x.matMul(x.transpose()).toDoubleArray();
        }
    }

    @Override
    public String toString() {
        return "DJL float64 algebra on " + device.id();
    }
}
