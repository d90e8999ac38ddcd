package org.infodyn.backend.tf;

import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.backend.DeviceInfo;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat64;

/**
 * Float64 products in TensorFlow on the run's device. Each call builds a one-op graph and its
 * session and closes both before it returns (milliseconds, against the product's hundreds), so no
 * native memory outlives it and concurrent calls share nothing.
 */
final class TfAlgebra implements DeviceAlgebra {
    private final DeviceInfo device;
    private final int threads;

    TfAlgebra(DeviceInfo device, int threads) {
        this.device = device;
        this.threads = threads;
    }

    @Override
    public DeviceInfo device() {
        return device;
    }

    @Override
    public double[] gram(double[] a, int n, int k) {
        DeviceAlgebra.checkGram(a, n, k);
        try (Graph graph = new Graph()) {
            Ops tf = TfDevices.ops(graph, device);
            Placeholder<TFloat64> x = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(n, k)));
            MatMul<TFloat64> product = tf.linalg.matMul(x, x, MatMul.transposeB(true));
            double[] out = new double[n * n];
            try (Session session = new Session(graph, TfDevices.sessionConfig(threads, device));
                    TFloat64 input = TFloat64.tensorOf(Shape.of(n, k), DataBuffers.of(a, true, false));
                    Result r = session.runner().feed(x, input).fetch(product).run()) {
                ((TFloat64) r.get(0)).copyTo(DataBuffers.of(out, false, false));
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return "TensorFlow float64 algebra on " + device.id();
    }
}
