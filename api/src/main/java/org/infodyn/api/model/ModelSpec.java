package org.infodyn.api.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A backend-neutral network: a per-sample input shape and an ordered chain of named layers. The
 * last layer produces the logits ({@code [K]}) of the training target. Shapes and parameters are
 * derived here once, so every backend builds exactly the same network.
 */
public final class ModelSpec {
    private final String id;
    private final int[] inputShape;
    private final List<LayerSpec> layers;
    private final Map<String, int[]> outputShapes;
    private final List<ParameterSpec> parameters;

    /**
     * @param id the architecture's id (e.g. {@code mlp}), for provenance
     * @param inputShape per-sample input shape, channels first
     * @param layers the chain, first to last; names unique
     * @throws IllegalArgumentException when names repeat or shapes do not fit
     */
    public ModelSpec(String id, int[] inputShape, List<LayerSpec> layers) {
        this.id = Objects.requireNonNull(id);
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
        if (this.layers.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one layer");
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        List<ParameterSpec> params = new ArrayList<>();
        int[] shape = this.inputShape;
        Set<String> names = new HashSet<>();
        this.layers.stream().flatMap(LayerSpec::walk).forEach(l -> {
            if (l.name().isBlank() || l.name().contains(".") || l.name().contains(",") || l.name().contains(" ")) {
                throw new IllegalArgumentException("bad layer name '" + l.name() + "' (no dots, commas or blanks)");
            }
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("layer name used twice: " + l.name());
            }
        });
        for (LayerSpec layer : this.layers) {
            params.addAll(layer.parameters(shape));
            shape = layer.outputShape(shape);
            shapes.put(layer.name(), shape);
        }
        if (shape.length != 1 || shape[0] < 2) {
            throw new IllegalArgumentException("the last layer must output a vector of ≥ 2 logits, got " + Arrays.toString(shape));
        }
        this.outputShapes = Collections.unmodifiableMap(shapes);
        this.parameters = List.copyOf(params);
    }

    /** The architecture's id. */
    public String id() {
        return id;
    }

    /** Per-sample input shape (a copy). */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Values per input sample. */
    public int inputSize() {
        int n = 1;
        for (int d : inputShape) {
            n *= d;
        }
        return n;
    }

    /** The layers, first to last. */
    public List<LayerSpec> layers() {
        return layers;
    }

    /** Layer names, first to last. Every one can be probed. */
    public List<String> layerNames() {
        return new ArrayList<>(outputShapes.keySet());
    }

    /** The last layer (its output is the logits). */
    public LayerSpec outputLayer() {
        return layers.get(layers.size() - 1);
    }

    /**
     * The classifier: the last layer that has parameters (usually {@code output} itself; for
     * All-CNN-C the last convolution before the pooled logits). A warm-start phase with
     * {@code freshHead} re-initialises this layer.
     */
    public LayerSpec headLayer() {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (!parametersOf(layers.get(i).name()).isEmpty()) {
                return layers.get(i);
            }
        }
        throw new IllegalStateException("model " + id + " has no parameters");
    }

    /** Number of classes the network predicts (the size of the logits). */
    public int outputClasses() {
        return outputShapes.get(outputLayer().name())[0];
    }

    /** Per-sample output shape of a layer. */
    public int[] outputShape(String layer) {
        int[] s = outputShapes.get(layer);
        if (s == null) {
            throw new IllegalArgumentException("no layer named " + layer + "; layers: " + layerNames());
        }
        return s.clone();
    }

    /** Values per sample in a layer's output. */
    public int outputSize(String layer) {
        int n = 1;
        for (int d : outputShape(layer)) {
            n *= d;
        }
        return n;
    }

    /** True when a layer of that name exists. */
    public boolean hasLayer(String layer) {
        return outputShapes.containsKey(layer);
    }

    /** All parameters in canonical order (layer order, then the layer's own order). */
    public List<ParameterSpec> parameters() {
        return parameters;
    }

    /** The parameters owned by one layer. */
    public List<ParameterSpec> parametersOf(String layer) {
        return parameters.stream().filter(p -> p.layer().equals(layer)).toList();
    }

    /** The layer kinds this model uses, nested ones included (e.g. {@code dense, relu}). */
    public Set<String> layerKinds() {
        Set<String> kinds = new TreeSet<>();
        layers.stream().flatMap(LayerSpec::walk).forEach(l -> kinds.add(l.kind()));
        return kinds;
    }

    /** A one-line description: {@code mlp [227] dense1(100) hidden1(relu) ...}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(id).append(' ').append(Arrays.toString(inputShape));
        for (LayerSpec l : layers) {
            sb.append(" → ").append(l.name()).append(':').append(l.kind()).append(Arrays.toString(outputShapes.get(l.name())));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && m.id.equals(id) && Arrays.equals(m.inputShape, inputShape) && m.layers.equals(layers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(inputShape), layers);
    }

    @Override
    public String toString() {
        return describe();
    }
}
