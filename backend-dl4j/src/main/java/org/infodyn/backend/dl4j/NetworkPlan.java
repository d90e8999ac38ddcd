package org.infodyn.backend.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.BatchNorm;
import org.infodyn.api.model.Conv2d;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.GlobalAvgPool;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Pool2d;
import org.infodyn.api.model.Residual;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * How a {@link ModelSpec} maps onto a DL4J {@code MultiLayerNetwork}, one infodyn node at a time,
 * so that the output of every top-level named node is the output of some DL4J layer (or the
 * network input):
 * <ul>
 *   <li>{@link Dense} → {@link LinearDense}: DL4J's dense layer with the identity activation
 *       and a leaner backward pass (its output is the pre-activation that infodyn names after the
 *       dense node);
 *   <li>{@link Activation} → {@code ActivationLayer} (ReLU or tanh);
 *   <li>{@link Conv2d} → {@link NativeConv2d}; {@link Pool2d} → DL4J's {@code SubsamplingLayer}
 *       (max or average, no padding, output size rounded down: {@code ConvolutionMode.Truncate});
 *       {@link GlobalAvgPool} → {@link ChannelMean}; {@link BatchNorm} → {@link ExactBatchNorm};
 *       {@link Residual} → {@link ResidualBlock}, whose branches are planned the same way;
 *   <li>{@link Flatten} → {@link FlattenImage} where the activations are images, nothing where
 *       they already are vectors (then its output is its input).
 * </ul>
 * Activations are channels-first, as in the api: images {@code [n, C, H, W]}, vectors
 * {@code [n, F]}. The input is fed as images when the spec's input is {@code [C, H, W]} and the
 * network does not start by flattening it; otherwise as {@code [n, inputSize]} row-major, which is
 * what flattening a channels-first sample gives (an MLP on images therefore runs exactly as an
 * MLP on vectors).
 *
 * <p>There is no DL4J output or loss layer: the logits are the last layer's output, and the step
 * computes the softmax cross-entropy and its gradient itself (see {@link Dl4jNetwork}). No input
 * type is given to DL4J either: every size is set here, so DL4J inserts no preprocessors.
 *
 * <p>Indices refer to the list returned by DL4J's feed-forward methods: 0 is the network input,
 * {@code i + 1} the output of DL4J layer {@code i}. DL4J layers are named after their infodyn
 * nodes (names are unique in a model, nested ones included).
 */
final class NetworkPlan {
    private final MultiLayerConfiguration configuration;
    private final Map<String, Integer> outputIndex;
    private final long[] inputShape;

    private NetworkPlan(MultiLayerConfiguration configuration, Map<String, Integer> outputIndex, long[] inputShape) {
        this.configuration = configuration;
        this.outputIndex = Collections.unmodifiableMap(outputIndex);
        this.inputShape = inputShape;
    }

    /** The DL4J settings every layer shares. */
    private static NeuralNetConfiguration.Builder global() {
        // No updater (the model applies the api's SGD itself) and zero initial weights (the api
        // supplies the real ones; zeros avoid drawing random numbers that would be overwritten).
        return new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .updater(new NoOp())
                .weightInit(WeightInit.ZERO)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
    }

    /** The shape of the activations flowing between layers: the spec's, and whether they are images. */
    private record Flow(int[] shape, boolean images) {
    }

    /** One infodyn node planned: its DL4J layer (none for a flatten of vectors) and the flow after it. */
    private record Planned(org.deeplearning4j.nn.conf.layers.Layer layer, Flow out) {
    }

    /**
     * Plans the network for a spec whose layer kinds the backend supports.
     *
     * @throws IllegalArgumentException when the spec has no layer that maps to a DL4J layer (DL4J
     *     cannot build an empty network)
     */
    static NetworkPlan of(ModelSpec spec) {
        NeuralNetConfiguration.ListBuilder list = global().list();
        Map<String, Integer> outputIndex = new LinkedHashMap<>();
        int[] in = spec.inputShape();
        boolean images = in.length == 3 && startsWithImageLayers(spec.layers());
        long[] inputShape = images ? new long[] {in[0], in[1], in[2]} : new long[] {spec.inputSize()};
        Flow flow = new Flow(in, images);
        int layers = 0;
        for (LayerSpec layer : spec.layers()) {
            Planned p = plan(layer, flow);
            if (p.layer() != null) {
                list.layer(p.layer());
                layers++;
            }
            flow = p.out();
            outputIndex.put(layer.name(), layers);
        }
        if (layers == 0) {
            throw new IllegalArgumentException("model " + spec.id() + " has no layer but flatten; "
                    + "the dl4j backend cannot build a network without one");
        }
        return new NetworkPlan(list.build(), outputIndex, inputShape);
    }

    /** Whether the first layer other than a nonlinearity needs images (anything but a flatten). */
    private static boolean startsWithImageLayers(List<LayerSpec> layers) {
        for (LayerSpec l : layers) {
            if (!(l instanceof Activation)) {
                return !(l instanceof Flatten);
            }
        }
        return false;
    }

    private static Planned plan(LayerSpec layer, Flow in) {
        int[] out = layer.outputShape(in.shape());
        String name = layer.name();
        if (layer instanceof Dense d) {
            requireVectors(layer, in);
            return new Planned(new LinearDense.Builder().nIn(in.shape()[0]).nOut(d.units()).name(name).build(), new Flow(out, false));
        }
        if (layer instanceof Activation a) {
            return new Planned(new ActivationLayer.Builder().activation(switch (a.function()) {
                case RELU -> org.nd4j.linalg.activations.Activation.RELU;
                case TANH -> org.nd4j.linalg.activations.Activation.TANH;
            }).name(name).build(), new Flow(out, in.images()));
        }
        if (layer instanceof Flatten) {
            return new Planned(in.images() ? new FlattenImage(name) : null, new Flow(out, false));
        }
        if (layer instanceof Conv2d c) {
            requireImages(layer, in);
            return new Planned(new NativeConv2d.Builder().geometry(c.kernel(), c.stride(), c.padding())
                    .nIn(in.shape()[0]).nOut(c.filters()).name(name).build(), new Flow(out, true));
        }
        if (layer instanceof Pool2d p) {
            requireImages(layer, in);
            return new Planned(new SubsamplingLayer.Builder(p.function() == Pool2d.Function.MAX ? PoolingType.MAX : PoolingType.AVG)
                    .kernelSize(p.kernel(), p.kernel()).stride(p.stride(), p.stride()).padding(0, 0)
                    .convolutionMode(ConvolutionMode.Truncate).name(name).build(), new Flow(out, true));
        }
        if (layer instanceof GlobalAvgPool) {
            requireImages(layer, in);
            return new Planned(new ChannelMean(name), new Flow(out, false));
        }
        if (layer instanceof BatchNorm b) {
            if (in.shape().length == 3) {
                requireImages(layer, in);
            }
            return new Planned(new ExactBatchNorm.Builder().statistics(b.epsilon(), b.momentum())
                    .nIn(in.shape()[0]).nOut(in.shape()[0]).name(name).build(), new Flow(out, in.images()));
        }
        if (layer instanceof Residual r) {
            List<NeuralNetConfiguration> body = new ArrayList<>();
            Flow b = planBranch(r.body(), in, body);
            List<NeuralNetConfiguration> shortcut = new ArrayList<>();
            Flow s = planBranch(r.shortcut(), in, shortcut);
            if (b.images() != s.images()) { // same shape (the spec checks), but one branch flattened and the other not
                throw new IllegalStateException("residual " + name + ": its branches end in different layouts");
            }
            return new Planned(new ResidualBlock(name, body, shortcut), b);
        }
        throw new IllegalStateException("unplanned layer kind " + layer.kind());
    }

    private static Flow planBranch(List<LayerSpec> branch, Flow in, List<NeuralNetConfiguration> out) {
        Flow flow = in;
        for (LayerSpec l : branch) {
            Planned p = plan(l, flow);
            if (p.layer() != null) {
                out.add(global().layer(p.layer()).build());
            }
            flow = p.out();
        }
        return flow;
    }

    private static void requireImages(LayerSpec layer, Flow in) {
        if (!in.images()) {
            throw new IllegalStateException(layer.kind() + " " + layer.name() + " needs image activations, has "
                    + Arrays.toString(in.shape()) + " as vectors");
        }
    }

    private static void requireVectors(LayerSpec layer, Flow in) {
        if (in.images()) {
            throw new IllegalStateException(layer.kind() + " " + layer.name() + " needs vector activations");
        }
    }

    /** The DL4J configuration. */
    MultiLayerConfiguration configuration() {
        return configuration;
    }

    /** Per-sample shape of the network input as fed to DL4J: {@code [C, H, W]} or {@code [inputSize]}. */
    long[] inputShape() {
        return inputShape.clone();
    }

    /** Position of a named node's output in DL4J's feed-forward list (0 = the input). */
    int outputIndex(String layer) {
        Integer i = outputIndex.get(layer);
        if (i == null) {
            throw new IllegalArgumentException("no layer named " + layer + "; layers: " + outputIndex.keySet());
        }
        return i;
    }

    /**
     * Every DL4J layer of an initialised network by its infodyn node name, the layers nested in
     * residual blocks included.
     */
    static Map<String, org.deeplearning4j.nn.api.Layer> layersByName(MultiLayerNetwork net) {
        Map<String, org.deeplearning4j.nn.api.Layer> out = new LinkedHashMap<>();
        collect(Arrays.asList(net.getLayers()), out);
        return out;
    }

    private static void collect(List<org.deeplearning4j.nn.api.Layer> layers, Map<String, org.deeplearning4j.nn.api.Layer> out) {
        for (org.deeplearning4j.nn.api.Layer l : layers) {
            out.put(l.conf().getLayer().getLayerName(), l);
            if (l instanceof ResidualBlockLayer r) {
                collect(r.body(), out);
                collect(r.shortcut(), out);
            }
        }
    }
}
