package org.infodyn.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One node of a backend-neutral network: a closed family of layer kinds that every backend
 * builds the same way. Each node has a stable, unique {@code name}; the output of any node can be
 * probed by that name, and a node's parameters are named {@code <name>.<suffix>} (e.g.
 * {@code dense1.weight}).
 *
 * <p>Shapes are per sample (no batch dimension), channels first for images.
 */
public sealed interface LayerSpec permits Dense, Activation, Flatten, Conv2d, Pool2d, GlobalAvgPool, BatchNorm, Residual {

    /**
     * Every layer kind there is: derived from the layers of this sealed family (each declares its
     * own kind or kinds), sorted. A backend that builds every layer supports exactly these.
     */
    static Set<String> kinds() {
        return LayerKinds.ALL;
    }

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

    /** Layers nested inside this one (a residual block's branches); empty for plain layers. */
    default List<LayerSpec> nested() {
        return List.of();
    }

    /** This layer and, depth first, every layer nested in it. */
    default Stream<LayerSpec> walk() {
        return Stream.concat(Stream.of(this), nested().stream().flatMap(LayerSpec::walk));
    }

    /** The output shape after a chain of layers. */
    static int[] chainShape(List<LayerSpec> chain, int[] inputShape) {
        int[] s = inputShape;
        for (LayerSpec l : chain) {
            s = l.outputShape(s);
        }
        return s;
    }

    /** The parameters of a chain of layers, in order. */
    static List<ParameterSpec> chainParameters(List<LayerSpec> chain, int[] inputShape) {
        List<ParameterSpec> out = new ArrayList<>();
        int[] s = inputShape;
        for (LayerSpec l : chain) {
            out.addAll(l.parameters(s));
            s = l.outputShape(s);
        }
        return out;
    }
}
