package org.infodyn.api.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One parameter tensor of a model: its full name ({@code <layer>.<suffix>}), its canonical shape,
 * and how it is initialised by default.
 *
 * @param name full name, e.g. {@code dense1.weight}
 * @param layer the name of the layer that owns it
 * @param shape canonical shape (dense weight {@code [out, in]}, bias {@code [out]})
 * @param fanIn the fan-in used by the default initialiser
 * @param trainable whether SGD updates it (batch-norm running statistics are not trainable:
 *     the forward pass in training mode updates them)
 * @param init how the api's initialiser fills it
 */
public record ParameterSpec(String name, String layer, int[] shape, int fanIn, boolean trainable, Init init) {

    /** Initial values. */
    public enum Init {
        /** Uniform in [−1/√fanIn, 1/√fanIn): PyTorch's default for linear and convolution layers. */
        UNIFORM_FAN_IN,
        /** All ones (batch-norm scale, running variance). */
        ONES,
        /** All zeros (batch-norm shift, running mean). */
        ZEROS
    }

    public ParameterSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(layer);
        Objects.requireNonNull(init);
        shape = shape.clone();
    }

    /** A parameter drawn uniformly from ±1/√fanIn. */
    public ParameterSpec(String name, String layer, int[] shape, int fanIn, boolean trainable) {
        this(name, layer, shape, fanIn, trainable, Init.UNIFORM_FAN_IN);
    }

    /** Number of values. */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && p.name.equals(name) && p.layer.equals(layer)
                && Arrays.equals(p.shape, shape) && p.fanIn == fanIn && p.trainable == trainable && p.init == init;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, layer, Arrays.hashCode(shape), fanIn, trainable, init);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
