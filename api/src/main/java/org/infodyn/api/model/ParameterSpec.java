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
 * @param trainable whether SGD updates it
 */
public record ParameterSpec(String name, String layer, int[] shape, int fanIn, boolean trainable) {

    public ParameterSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(layer);
        shape = shape.clone();
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
                && Arrays.equals(p.shape, shape) && p.fanIn == fanIn && p.trainable == trainable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, layer, Arrays.hashCode(shape), fanIn, trainable);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
