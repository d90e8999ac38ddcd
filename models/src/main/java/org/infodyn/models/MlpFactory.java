package org.infodyn.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;

/**
 * {@code mlp}: a multilayer perceptron. For {@code hidden: [h1, h2, …]} the layers are
 * {@code flatten} (only for non-vector inputs), then per hidden layer i a {@code dense<i>}
 * followed by its nonlinearity {@code hidden<i>} (the probe-able representation), then the
 * {@code output} dense layer producing the logits.
 */
public final class MlpFactory implements ModelFactory {

    private static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.integerList("hidden", List.of(100L, 100L, 2L), "units of each hidden layer, first to last").atLeast(1),
            ParamSpec.choice("activation", "relu", List.of("relu", "tanh"), "nonlinearity after each hidden dense layer"));

    @Override
    public String id() {
        return "mlp";
    }

    @Override
    public String description() {
        return "multilayer perceptron; probe-able layers hidden1..hiddenN (after the nonlinearity), output (logits)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMS;
    }

    @Override
    public ModelSpec create(Params params, int[] inputShape, int outputClasses) {
        List<Long> hidden = params.getLongList("hidden");
        Activation.Function fn = Activation.Function.valueOf(params.getString("activation").toUpperCase(Locale.ROOT));
        List<LayerSpec> layers = new ArrayList<>();
        if (inputShape.length != 1) {
            layers.add(new Flatten("flatten"));
        }
        for (int i = 0; i < hidden.size(); i++) {
            layers.add(new Dense("dense" + (i + 1), Math.toIntExact(hidden.get(i))));
            layers.add(new Activation("hidden" + (i + 1), fn));
        }
        layers.add(new Dense("output", outputClasses));
        return new ModelSpec(id(), inputShape, layers);
    }
}
