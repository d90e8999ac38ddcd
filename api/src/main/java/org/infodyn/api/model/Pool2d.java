package org.infodyn.api.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Max or average pooling over square windows of a {@code [C, H, W]} input, no padding: output
 * {@code [C, ⌊(H − kernel) / stride⌋ + 1, ⌊(W − kernel) / stride⌋ + 1]}. Average pooling divides
 * by the window size. No parameters.
 *
 * @param name unique layer name
 * @param function max or average
 * @param kernel window size, ≥ 1
 * @param stride ≥ 1
 */
public record Pool2d(String name, Function function, int kernel, int stride) implements LayerSpec {

    /** The pooling function. */
    public enum Function {
        /** Maximum of the window. */
        MAX,
        /** Mean of the window. */
        AVG;

        /** The layer kind of pooling with this function: {@code maxpool} or {@code avgpool}. */
        public String kind() {
            return name().toLowerCase(Locale.ROOT) + "pool";
        }
    }

    public Pool2d {
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("pool " + name + ": kernel and stride must be ≥ 1");
        }
    }

    @Override
    public String kind() {
        return function.kind();
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3 || in[1] < kernel || in[2] < kernel) {
            throw new IllegalArgumentException(kind() + " " + name + " needs a [channels, height, width] input of at least "
                    + kernel + "×" + kernel + ", got " + Arrays.toString(in));
        }
        return new int[] {in[0], (in[1] - kernel) / stride + 1, (in[2] - kernel) / stride + 1};
    }

    @Override
    public List<ParameterSpec> parameters(int[] in) {
        return List.of();
    }
}
