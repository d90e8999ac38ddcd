package org.infodyn.backend.dl4j;

import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.backend.DeviceInfo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float64 products in ND4J on the CPU (its BLAS: the OpenBLAS libnd4j ships). The arrays of a
 * call are closed before it returns; ND4J's BLAS threads are process-wide, set from the run's
 * options ({@link Dl4jRuntime#threads}) as for its models.
 */
final class Dl4jAlgebra implements DeviceAlgebra {
    private final DeviceInfo device;

    Dl4jAlgebra(DeviceInfo device) {
        this.device = device;
    }

    @Override
    public DeviceInfo device() {
        return device;
    }

    @Override
    public double[] gram(double[] a, int n, int k) {
        DeviceAlgebra.checkGram(a, n, k);
        // Outside any workspace the caller's thread may have open: these arrays are closed here.
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
                INDArray x = Nd4j.create(a, new long[] {n, k}, 'c');
                INDArray g = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f')) {
            // Into a column-major result, which BLAS writes directly (a row-major one costs a
            // temporary and a copy). Read row by row it is (A Aᵀ)ᵀ: the same products, entry for entry.
            x.mmul(x.transpose(), g);
            return g.data().asDouble();
        }
    }

    @Override
    public String toString() {
        return "ND4J float64 algebra on " + device.id();
    }
}
