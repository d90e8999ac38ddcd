package org.example.infodyn.bottleneck;

import java.util.ArrayList;
import java.util.List;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;

/**
 * {@code bottleneck} (example plugin): a wide ReLU layer, then a narrow tanh bottleneck, then the
 * logits. Probe-able layers: {@code wide}, {@code bottleneck}, {@code output}.
 */
public final class BottleneckFactory implements ModelFactory {
    private static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.integer("width", 64, "units of the wide ReLU layer").atLeast(1).atMost(100_000),
            ParamSpec.integer("bottleneck", 2, "units of the tanh bottleneck").atLeast(1).atMost(100_000));

    @Override
    public String id() {
        return "bottleneck";
    }

    @Override
    public String description() {
        return "wide ReLU layer, narrow tanh bottleneck, logits (example plugin); probe-able wide, bottleneck, output";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMS;
    }

    @Override
    public ModelSpec create(Params params, int[] inputShape, int outputClasses) {
        List<LayerSpec> layers = new ArrayList<>();
        if (inputShape.length != 1) {
            layers.add(new Flatten("flatten"));
        }
        layers.add(new Dense("wide_dense", params.getInt("width")));
        layers.add(new Activation("wide", Activation.Function.RELU));
        layers.add(new Dense("bottleneck_dense", params.getInt("bottleneck")));
        layers.add(new Activation("bottleneck", Activation.Function.TANH));
        layers.add(new Dense("output", outputClasses));
        return new ModelSpec(id(), inputShape, layers);
    }
}
