package org.infodyn.models;

import java.util.ArrayList;
import java.util.List;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.BatchNorm;
import org.infodyn.api.model.Conv2d;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Pool2d;

/**
 * {@code cnn-small}: two (or more) convolution blocks and a dense layer. Block i is
 * {@code conv<i>} (3×3, padding 1) → optional {@code bn<i>} → {@code act<i>} (ReLU) →
 * {@code block<i>} (2×2 max-pool, stride 2); then {@code flatten} → {@code dense} →
 * {@code penultimate} (ReLU) → {@code output}. Probe-able: every name, typically
 * {@code block1}, {@code block2} and {@code penultimate}.
 */
public final class CnnSmallFactory implements ModelFactory {
    private static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.integerList("channels", List.of(32L, 64L), "output channels of each convolution block").atLeast(1),
            ParamSpec.integer("dense", 128, "units of the penultimate dense layer").atLeast(1),
            ParamSpec.bool("batchNorm", false, "batch normalisation after each convolution"));

    @Override
    public String id() {
        return "cnn-small";
    }

    @Override
    public String description() {
        return "conv(3×3)-[bn]-relu-maxpool blocks, then dense-relu and the output; probe-able blockN, penultimate";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMS;
    }

    @Override
    public ModelSpec create(Params params, int[] inputShape, int outputClasses) {
        ModelFactory.requireImageInput(id(), inputShape);
        List<LayerSpec> layers = new ArrayList<>();
        List<Long> channels = params.getLongList("channels");
        int h = inputShape[1];
        int w = inputShape[2];
        for (int i = 1; i <= channels.size(); i++) {
            params.require(h >= 2 && w >= 2, "channels", channels.size() + " blocks halve the image " + (i - 1)
                    + " times, down to " + h + "×" + w + "; use fewer blocks");
            layers.add(new Conv2d("conv" + i, Math.toIntExact(channels.get(i - 1)), 3, 1, 1));
            if (params.getBoolean("batchNorm")) {
                layers.add(BatchNorm.of("bn" + i));
            }
            layers.add(new Activation("act" + i, Activation.Function.RELU));
            layers.add(new Pool2d("block" + i, Pool2d.Function.MAX, 2, 2));
            h /= 2;
            w /= 2;
        }
        layers.add(new Flatten("flatten"));
        layers.add(new Dense("dense", params.getInt("dense")));
        layers.add(new Activation("penultimate", Activation.Function.RELU));
        layers.add(new Dense("output", outputClasses));
        return new ModelSpec(id(), inputShape, layers);
    }
}
