package org.infodyn.backend.dl4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * How a {@link ModelSpec} maps onto a DL4J {@code MultiLayerNetwork}, one infodyn node at a time,
 * so that the output of every named node is the output of some DL4J layer:
 * <ul>
 *   <li>{@link Dense} → {@link LinearDense}: DL4J's dense layer with the identity activation
 *       and a leaner backward pass (its output is the pre-activation that infodyn names after the
 *       dense node);
 *   <li>{@link Activation} → {@code ActivationLayer} (ReLU or tanh);
 *   <li>{@link Flatten} → nothing: inputs are always fed as {@code [n, inputSize]} in row-major
 *       order, which is what flattening a channels-first sample gives, so its output is its input.
 * </ul>
 * There is no DL4J output or loss layer: the logits are the last layer's output, and the step
 * computes the softmax cross-entropy and its gradient itself (see {@link Dl4jNetwork}).
 *
 * <p>Indices refer to the list returned by DL4J's feed-forward methods: 0 is the network input,
 * {@code i + 1} the output of DL4J layer {@code i}.
 */
final class NetworkPlan {
    private final MultiLayerConfiguration configuration;
    private final Map<String, Integer> outputIndex;
    private final Map<String, Integer> denseLayerIndex;

    private NetworkPlan(MultiLayerConfiguration configuration, Map<String, Integer> outputIndex,
            Map<String, Integer> denseLayerIndex) {
        this.configuration = configuration;
        this.outputIndex = Collections.unmodifiableMap(outputIndex);
        this.denseLayerIndex = Collections.unmodifiableMap(denseLayerIndex);
    }

    /**
     * Plans the network for a spec whose layer kinds the backend supports.
     *
     * @throws IllegalArgumentException when the spec has no dense or activation layer (DL4J cannot
     *     build an empty network)
     */
    static NetworkPlan of(ModelSpec spec) {
        // No updater (the model applies the api's SGD itself) and zero initial weights (the api
        // supplies the real ones; zeros avoid drawing random numbers that would be overwritten).
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .updater(new NoOp())
                .weightInit(WeightInit.ZERO)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        Map<String, Integer> outputIndex = new LinkedHashMap<>();
        Map<String, Integer> denseIndex = new LinkedHashMap<>();
        int layers = 0;
        int width = spec.inputSize();
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof Dense d) {
                list.layer(new LinearDense.Builder().nIn(width).nOut(d.units()).build());
                denseIndex.put(d.name(), layers);
                layers++;
                width = d.units();
            } else if (layer instanceof Activation a) {
                list.layer(new ActivationLayer.Builder().activation(switch (a.function()) {
                    case RELU -> org.nd4j.linalg.activations.Activation.RELU;
                    case TANH -> org.nd4j.linalg.activations.Activation.TANH;
                }).build());
                layers++;
            } else if (!(layer instanceof Flatten)) {
                throw new IllegalStateException("unplanned layer kind " + layer.kind());
            }
            outputIndex.put(layer.name(), layers);
        }
        if (layers == 0) {
            throw new IllegalArgumentException("model " + spec.id() + " has no dense or activation layer; "
                    + "the dl4j backend cannot build a network without one");
        }
        return new NetworkPlan(list.build(), outputIndex, denseIndex);
    }

    /** The DL4J configuration. */
    MultiLayerConfiguration configuration() {
        return configuration;
    }

    /** Position of a named node's output in DL4J's feed-forward list (0 = the input). */
    int outputIndex(String layer) {
        Integer i = outputIndex.get(layer);
        if (i == null) {
            throw new IllegalArgumentException("no layer named " + layer + "; layers: " + outputIndex.keySet());
        }
        return i;
    }

    /** The DL4J layer index of a dense node (its parameters are {@code <index>_W}, {@code <index>_b}). */
    int denseLayerIndex(String denseLayer) {
        return denseLayerIndex.get(denseLayer);
    }
}
