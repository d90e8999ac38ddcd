package org.infodyn.api.probe;

import java.util.List;

/**
 * The measurements of one (layer, variable) pair over training. The runner calls
 * {@link #measure} once per probe point, in step order, never concurrently for one series;
 * different series may run concurrently on different threads.
 */
public interface ProbeSeries {

    /**
     * Measures the representation at one probe point.
     *
     * @param data the layer's frozen activations with the variable's labels; read-only
     * @return one value per metric; non-finite values are allowed (they are reported, never
     *     written as numbers)
     */
    List<Measurement> measure(ProbeData data);
}
