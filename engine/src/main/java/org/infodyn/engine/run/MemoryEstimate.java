package org.infodyn.engine.run;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

import com.sun.management.OperatingSystemMXBean;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;

/**
 * A rough bound on what a run will hold in memory, checked before anything is written, so that a
 * network too large for the machine is refused with its size instead of failing with an
 * {@link OutOfMemoryError} after its run directory exists. Counts in long arithmetic: a layer of
 * 10⁸ units over 227 inputs has more values than a Java array can hold.
 *
 * <p>What is counted (float32 values): on the backend's side (native memory), the parameters four
 * times (values, gradients, momentum buffers, a copy in transit) and every layer's activations three
 * times per training sample (forward values, their gradients, workspace) at the largest batch, or at
 * the 1,024-sample chunks of a probe point, whichever is more; on the Java heap, the parameters three
 * times (initial values, a checkpoint copy and a copy in transit) and the probed layers' activations on
 * the probe samples twice as floats and twice as doubles (captured, cut per series, standardised
 * designs of the decoders).
 *
 * @param parameters number of parameter values
 * @param largestLayer the layer that owns the most parameters
 * @param largestLayerParameters its parameter values
 * @param nativeBytes the backend's share
 * @param heapBytes the Java heap's share
 */
record MemoryEstimate(long parameters, String largestLayer, long largestLayerParameters, long nativeBytes, long heapBytes) {
    private static final long FLOAT = 4;
    private static final long DOUBLE = 8;

    static MemoryEstimate of(ModelSpec model, int largestBatch, int probeRows, List<String> probedLayers) {
        long params = 0;
        String largest = "";
        long largestCount = -1;
        for (LayerSpec layer : model.layers()) {
            long count = 0;
            for (ParameterSpec p : model.parametersOf(layer.name())) {
                count = saturatingAdd(count, product(p.shape()));
            }
            params = saturatingAdd(params, count);
            if (count > largestCount) {
                largest = layer.name();
                largestCount = count;
            }
        }
        long activationsPerSample = 0;
        for (String layer : model.layerNames()) {
            activationsPerSample = saturatingAdd(activationsPerSample, product(model.outputShape(layer)));
        }
        long probedPerSample = 0;
        for (String layer : probedLayers) {
            probedPerSample = saturatingAdd(probedPerSample, product(model.outputShape(layer)));
        }
        long samples = Math.max(largestBatch, Math.min(probeRows, Activations.chunk(model, 1)));
        long nativeBytes = saturatingAdd(times(params, 4 * FLOAT), times(times(activationsPerSample, samples), 3 * FLOAT));
        long heapBytes = saturatingAdd(times(params, 3 * FLOAT), times(times(probedPerSample, probeRows), 2 * FLOAT + 2 * DOUBLE));
        return new MemoryEstimate(params, largest, largestCount, nativeBytes, heapBytes);
    }

    /**
     * Refuses the run when either share exceeds what this machine has: 80 % of its physical
     * memory for the backend, 90 % of the JVM's maximum heap for the rest.
     *
     * @throws ConfigException on {@code model}, with the estimate and what it is made of
     */
    void check(String batchNote) {
        long physical = physicalMemory();
        long heap = Runtime.getRuntime().maxMemory();
        boolean nativeTooBig = physical > 0 && nativeBytes > physical / 10 * 8;
        boolean heapTooBig = heapBytes > heap / 10 * 9;
        if (!nativeTooBig && !heapTooBig) {
            return;
        }
        String what = String.format(Locale.ROOT, "%,d parameters (the largest layer, %s, has %,d)", parameters, largestLayer,
                largestLayerParameters);
        if (nativeTooBig) {
            throw new ConfigException("model", String.format(Locale.ROOT, "the network needs about %s for %s and its activations %s, "
                    + "more than this machine's %s of memory; make the model or the batch smaller", gib(nativeBytes), what, batchNote,
                    gib(physical)));
        }
        throw new ConfigException("model", String.format(Locale.ROOT, "the run needs about %s of Java heap for %s and the probed "
                + "activations, more than the %s the JVM may use; make the model or the probe split smaller, or raise -Xmx "
                + "(INFODYN_JAVA_OPTS)", gib(heapBytes), what, gib(heap)));
    }

    /**
     * How many runs like this one a replica group can hold: the backend's share grows with each
     * replica (parameters and activations are stacked), the heap's too (each run keeps its own
     * probed activations).
     */
    int replicasThatFit() {
        long physical = physicalMemory();
        long byNative = physical > 0 && nativeBytes > 0 ? physical / 10 * 8 / nativeBytes : Integer.MAX_VALUE;
        long byHeap = heapBytes > 0 ? Runtime.getRuntime().maxMemory() / 10 * 9 / heapBytes : Integer.MAX_VALUE;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.min(byNative, byHeap)));
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    private static String gib(long bytes) {
        return bytes == Long.MAX_VALUE ? "more than 8 EiB" : String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    private static long product(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = times(n, d);
        }
        return n;
    }

    private static long times(long a, long b) {
        long r = a * b;
        return a != 0 && (r / a != b || r < 0) ? Long.MAX_VALUE : r;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
