package org.infodyn.api.model;

import java.util.List;

/**
 * One node of a backend-neutral network: a closed family of layer kinds that every backend
 * builds the same way. Each node has a stable, unique {@code name}; the output of any node can be
 * probed by that name, and a node's parameters are named {@code <name>.<suffix>} (e.g.
 * {@code dense1.weight}).
 *
 * <p>Shapes are per sample (no batch dimension), channels first for images.
 */
public sealed interface LayerSpec permits Dense, Activation, Flatten {

    /** Unique name within the model. */
    String name();

    /** The layer kind, as listed by {@code infodyn backends} (e.g. {@code dense}). */
    String kind();

    /**
     * The per-sample output shape for a per-sample input shape.
     *
     * @throws IllegalArgumentException when the input shape does not fit this layer
     */
    int[] outputShape(int[] inputShape);

    /**
     * The parameters this layer owns for the given input shape, in canonical layout (dense
     * weights {@code [out, in]}). Empty for parameter-free layers.
     */
    List<ParameterSpec> parameters(int[] inputShape);
}
