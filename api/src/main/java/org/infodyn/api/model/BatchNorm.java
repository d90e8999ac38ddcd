package org.infodyn.api.model;

import java.util.Arrays;
import java.util.List;

/**
 * Batch normalisation over the first dimension of each sample (channels of {@code [C, H, W]}, or
 * features of {@code [F]}), as PyTorch's {@code BatchNorm2d} / {@code BatchNorm1d}.
 *
 * <p>Training mode: {@code y = γ·(x − μ_B)/√(σ²_B + ε) + β} with the batch mean μ_B and the biased
 * batch variance σ²_B per channel; the running statistics are updated as
 * {@code r ← (1 − momentum)·r + momentum·s} with the batch mean and the <em>unbiased</em> batch
 * variance. Inference mode (activations): the running statistics replace the batch ones.
 * Parameters: {@code <name>.weight} (γ, starts at 1), {@code <name>.bias} (β, 0),
 * {@code <name>.running_mean} (0), {@code <name>.running_var} (1); the running ones are not
 * trainable but are part of the parameters (they are saved, compared and restored with them).
 *
 * @param name unique layer name
 * @param epsilon added to the variance, &gt; 0 (PyTorch: 1e-5)
 * @param momentum weight of the new batch in the running statistics, in (0, 1] (PyTorch: 0.1)
 */
public record BatchNorm(String name, double epsilon, double momentum) implements LayerSpec {
    /** The layer kind, as {@code infodyn backends} lists it. */
    public static final String KIND = "batchnorm";


    public BatchNorm {
        if (!(epsilon > 0) || !(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException("batchnorm " + name + ": epsilon must be > 0 and momentum in (0, 1]");
        }
    }

    /** PyTorch's defaults: ε = 1e-5, momentum 0.1. */
    public static BatchNorm of(String name) {
        return new BatchNorm(name, 1e-5, 0.1);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 1 && in.length != 3) {
            throw new IllegalArgumentException("batchnorm " + name + " needs a [features] or [channels, height, width] input, got "
                    + Arrays.toString(in));
        }
        return in.clone();
    }

    @Override
    public List<ParameterSpec> parameters(int[] in) {
        int[] c = {outputShape(in)[0]};
        return List.of(new ParameterSpec(name + ".weight", name, c, c[0], true, ParameterSpec.Init.ONES),
                new ParameterSpec(name + ".bias", name, c, c[0], true, ParameterSpec.Init.ZEROS),
                new ParameterSpec(name + ".running_mean", name, c, c[0], false, ParameterSpec.Init.ZEROS),
                new ParameterSpec(name + ".running_var", name, c, c[0], false, ParameterSpec.Init.ONES));
    }
}
