package org.infodyn.models;

import java.util.List;
import java.util.Map;

import org.infodyn.api.model.ModelFactory;
import org.infodyn.testkit.ModelFactoryCompatibilityKit;

/** The model factory kit on a {@code layers} network that uses most layer kinds, residual block included. */
class LayersFactoryCompatibilityTest extends ModelFactoryCompatibilityKit {
    @Override
    protected ModelFactory factory() {
        return new LayersFactory();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("layers", List.of(
                Map.of("kind", "conv2d", "name", "stem", "filters", 4, "kernel", 3, "padding", 1),
                Map.of("kind", "batchnorm"),
                Map.of("kind", "relu"),
                Map.of("kind", "residual", "name", "block", "body", List.of(
                        Map.of("kind", "conv2d", "filters", 4, "kernel", 3, "padding", 1),
                        Map.of("kind", "tanh"))),
                Map.of("kind", "avgpool", "kernel", 2),
                Map.of("kind", "maxpool", "kernel", 2, "stride", 1),
                Map.of("kind", "flatten"),
                Map.of("kind", "dense", "name", "hidden", "units", 8),
                Map.of("kind", "relu", "name", "penultimate")));
    }

    @Override
    protected int[] inputShape() {
        return new int[] {1, 8, 8};
    }
}
