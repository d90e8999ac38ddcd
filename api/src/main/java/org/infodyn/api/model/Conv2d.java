package org.infodyn.api.model;

import java.util.Arrays;
import java.util.List;

/**
 * A 2-D convolution (cross-correlation, as PyTorch's {@code nn.Conv2d}) over a {@code [C, H, W]}
 * input with square kernels, zero padding and equal strides. Output {@code [filters, H', W']} with
 * {@code H' = ⌊(H + 2·padding − kernel) / stride⌋ + 1}. Parameters: {@code <name>.weight
 * [filters, C, kernel, kernel]} and {@code <name>.bias [filters]}.
 *
 * @param name unique layer name
 * @param filters output channels, ≥ 1
 * @param kernel kernel size, ≥ 1
 * @param stride ≥ 1
 * @param padding zero padding on each side, ≥ 0
 */
public record Conv2d(String name, int filters, int kernel, int stride, int padding) implements LayerSpec {
    /** The layer kind, as {@code infodyn backends} lists it. */
    public static final String KIND = "conv2d";


    public Conv2d {
        if (filters < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv2d " + name + ": filters, kernel and stride must be ≥ 1 and padding ≥ 0, got "
                    + filters + ", " + kernel + ", " + stride + ", " + padding);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) {
            throw new IllegalArgumentException("conv2d " + name + " needs a [channels, height, width] input, got " + Arrays.toString(in));
        }
        int h = (in[1] + 2 * padding - kernel) / stride + 1;
        int w = (in[2] + 2 * padding - kernel) / stride + 1;
        if (in[1] + 2 * padding < kernel || in[2] + 2 * padding < kernel) {
            throw new IllegalArgumentException("conv2d " + name + ": kernel " + kernel + " is larger than the padded input "
                    + Arrays.toString(in));
        }
        return new int[] {filters, h, w};
    }

    @Override
    public List<ParameterSpec> parameters(int[] in) {
        outputShape(in);
        int fanIn = in[0] * kernel * kernel;
        return List.of(new ParameterSpec(name + ".weight", name, new int[] {filters, in[0], kernel, kernel}, fanIn, true),
                new ParameterSpec(name + ".bias", name, new int[] {filters}, fanIn, true));
    }
}
