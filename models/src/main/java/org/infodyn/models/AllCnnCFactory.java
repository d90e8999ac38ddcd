package org.infodyn.models;

import java.util.ArrayList;
import java.util.List;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.BatchNorm;
import org.infodyn.api.model.Conv2d;
import org.infodyn.api.model.GlobalAvgPool;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;

/**
 * {@code all-cnn-c}: Springenberg et al., "Striving for simplicity: the all convolutional net"
 * (2015), model C: conv3×3(96)·2, conv3×3(96, stride 2), conv3×3(192)·2, conv3×3(192, stride 2),
 * conv3×3(192, no padding), conv1×1(192), conv1×1(K), global average pooling. Every convolution
 * but the last is followed by ReLU ({@code act1} … {@code act8}); with {@code batchNorm} a batch
 * norm sits between convolution and ReLU. The logits are {@code output} (the pooled class maps).
 * {@code width} scales the channel counts (0.25 for quick runs). The paper's dropout is left out.
 */
public final class AllCnnCFactory implements ModelFactory {
    private static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.decimal("width", 1.0, "multiplier of the channel counts 96 and 192").greaterThan(0).atMost(16),
            ParamSpec.bool("batchNorm", false, "batch normalisation after each convolution but the last"));

    @Override
    public String id() {
        return "all-cnn-c";
    }

    @Override
    public String description() {
        return "All-CNN-C (Springenberg et al. 2015), channel width configurable; probe-able act1..act8, output";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMS;
    }

    @Override
    public ModelSpec create(Params params, int[] inputShape, int outputClasses) {
        ModelFactory.requireImageInput(id(), inputShape);
        double width = params.getDouble("width");
        int a = Math.max(1, (int) Math.round(96 * width));
        int b = Math.max(1, (int) Math.round(192 * width));
        int[][] convs = {{a, 3, 1, 1}, {a, 3, 1, 1}, {a, 3, 2, 1}, {b, 3, 1, 1}, {b, 3, 1, 1}, {b, 3, 2, 1}, {b, 3, 1, 0}, {b, 1, 1, 0}};
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < convs.length; i++) {
            layers.add(new Conv2d("conv" + (i + 1), convs[i][0], convs[i][1], convs[i][2], convs[i][3]));
            if (params.getBoolean("batchNorm")) {
                layers.add(BatchNorm.of("bn" + (i + 1)));
            }
            layers.add(new Activation("act" + (i + 1), Activation.Function.RELU));
        }
        layers.add(new Conv2d("conv9", outputClasses, 1, 1, 0));
        layers.add(new GlobalAvgPool("output"));
        return new ModelSpec(id(), inputShape, layers);
    }
}
