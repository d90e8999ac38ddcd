package org.infodyn.api.model;

import java.util.Arrays;
import java.util.List;

/**
 * The mean of each channel over all positions: {@code [C, H, W] → [C]}. No parameters.
 *
 * @param name unique layer name
 */
public record GlobalAvgPool(String name) implements LayerSpec {
    /** The layer kind, as {@code infodyn backends} lists it. */
    public static final String KIND = "globalavgpool";


    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) {
            throw new IllegalArgumentException("globalavgpool " + name + " needs a [channels, height, width] input, got " + Arrays.toString(in));
        }
        return new int[] {in[0]};
    }

    @Override
    public List<ParameterSpec> parameters(int[] in) {
        return List.of();
    }
}
