package org.infodyn.api.model;

import java.util.Arrays;
import java.util.List;

/**
 * A fully connected layer {@code y = x Wᵀ + b} (PyTorch's {@code nn.Linear}). Input must be a
 * vector per sample. Parameters: {@code <name>.weight [units, in]} and {@code <name>.bias [units]}.
 *
 * @param name unique layer name
 * @param units number of outputs, ≥ 1
 */
public record Dense(String name, int units) implements LayerSpec {
    /** The layer kind, as {@code infodyn backends} lists it. */
    public static final String KIND = "dense";


    public Dense {
        if (units < 1) {
            throw new IllegalArgumentException("dense layer " + name + " needs at least 1 unit, got " + units);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length != 1) {
            throw new IllegalArgumentException("dense layer " + name + " needs a vector input, got shape "
                    + Arrays.toString(inputShape) + " (add a flatten layer)");
        }
        return new int[] {units};
    }

    @Override
    public List<ParameterSpec> parameters(int[] inputShape) {
        int in = outputShape(inputShape).length == 1 ? inputShape[0] : 0;
        return List.of(
                new ParameterSpec(name + ".weight", name, new int[] {units, in}, in, true),
                new ParameterSpec(name + ".bias", name, new int[] {units}, in, true));
    }
}
