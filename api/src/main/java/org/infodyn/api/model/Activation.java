package org.infodyn.api.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An element-wise nonlinearity; output shape = input shape, no parameters.
 *
 * @param name unique layer name (MLP hidden representations are the outputs of these, e.g.
 *     {@code hidden1})
 * @param function which nonlinearity
 */
public record Activation(String name, Function function) implements LayerSpec {

    /** The nonlinearities every backend must provide. */
    public enum Function {
        /** {@code max(0, x)}. */
        RELU,
        /** {@code tanh(x)}. */
        TANH;

        /** The lower-case name used in experiment files; also the layer kind. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Activation {
        Objects.requireNonNull(name);
        Objects.requireNonNull(function);
    }

    @Override
    public String kind() {
        return function.id();
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public List<ParameterSpec> parameters(int[] inputShape) {
        return List.of();
    }
}
