package org.infodyn.models;

import java.util.ArrayList;
import java.util.List;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.BatchNorm;
import org.infodyn.api.model.Conv2d;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.GlobalAvgPool;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Residual;

/**
 * {@code resnet18-cifar}: the usual CIFAR variant of ResNet-18 (He et al. 2016; a 3×3 stem
 * without max-pooling): {@code stem} conv3×3(w) → {@code stem_bn} → {@code stem_act}, then four
 * stages of two basic blocks with w, 2w, 4w, 8w channels (the first block of stages 2–4 has
 * stride 2 and a 1×1 convolution + batch norm shortcut); block j of stage i is the residual
 * {@code stage<i>_<j>} followed by its ReLU {@code stage<i>_<j>_act}; then {@code features}
 * (global average pooling) and {@code output}. Base width w is {@code width} (64 in the paper).
 */
public final class ResNet18CifarFactory implements ModelFactory {
    private static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.integer("width", 64, "channels of the first stage (doubled at each later stage)").atLeast(1).atMost(1024));

    @Override
    public String id() {
        return "resnet18-cifar";
    }

    @Override
    public String description() {
        return "ResNet-18, CIFAR variant (3×3 stem), base width configurable; probe-able stageI_J_act, features, output";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMS;
    }

    @Override
    public ModelSpec create(Params params, int[] inputShape, int outputClasses) {
        ModelFactory.requireImageInput(id(), inputShape);
        int w = params.getInt("width");
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new Conv2d("stem", w, 3, 1, 1));
        layers.add(BatchNorm.of("stem_bn"));
        layers.add(new Activation("stem_act", Activation.Function.RELU));
        int in = w;
        for (int stage = 1; stage <= 4; stage++) {
            int out = w << (stage - 1);
            for (int j = 0; j < 2; j++) {
                int stride = stage > 1 && j == 0 ? 2 : 1;
                String n = "stage" + stage + "_" + j;
                List<LayerSpec> body = List.of(new Conv2d(n + "_conv1", out, 3, stride, 1), BatchNorm.of(n + "_bn1"),
                        new Activation(n + "_relu", Activation.Function.RELU), new Conv2d(n + "_conv2", out, 3, 1, 1), BatchNorm.of(n + "_bn2"));
                List<LayerSpec> shortcut = stride != 1 || in != out
                        ? List.of(new Conv2d(n + "_proj", out, 1, stride, 0), BatchNorm.of(n + "_proj_bn"))
                        : List.of();
                layers.add(new Residual(n, body, shortcut));
                layers.add(new Activation(n + "_act", Activation.Function.RELU));
                in = out;
            }
        }
        layers.add(new GlobalAvgPool("features"));
        layers.add(new Dense("output", outputClasses));
        return new ModelSpec(id(), inputShape, layers);
    }
}
