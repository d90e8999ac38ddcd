package org.infodyn.api.model;

import java.util.List;

/**
 * Flattens a per-sample tensor to a vector in row-major (channels-first) order; no parameters.
 *
 * @param name unique layer name
 */
public record Flatten(String name) implements LayerSpec {
    /** The layer kind, as {@code infodyn backends} lists it. */
    public static final String KIND = "flatten";


    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int n = 1;
        for (int d : inputShape) {
            n *= d;
        }
        return new int[] {n};
    }

    @Override
    public List<ParameterSpec> parameters(int[] inputShape) {
        return List.of();
    }
}
