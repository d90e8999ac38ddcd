package org.infodyn.api.model;

import java.util.List;

/**
 * Flattens a per-sample tensor to a vector in row-major (channels-first) order; no parameters.
 *
 * @param name unique layer name
 */
public record Flatten(String name) implements LayerSpec {

    @Override
    public String kind() {
        return "flatten";
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
