package org.infodyn.backend.dl4j;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Configuration of infodyn's {@code Residual} node as <em>one</em> DL4J layer that contains its two
 * branches, {@code y = body(x) + shortcut(x)} (an empty shortcut is the identity); implemented by
 * {@link ResidualBlockLayer}.
 *
 * <p>Why a container layer rather than a DL4J {@code ComputationGraph} with an
 * {@code ElementWiseVertex}: the network stays a {@code MultiLayerNetwork}, so the MLP path (and
 * its measured speed) is unchanged and the model keeps one code path for every spec; the block's
 * parameters, body then shortcut, form one contiguous slice of the flat vector in exactly the
 * canonical order, where a graph orders parameters by its topological sort, which may interleave
 * the branches; and the block's output is one layer output, as infodyn names it.
 *
 * <p>The nested layers are ordinary DL4J layer configurations, planned by {@link NetworkPlan}
 * (residual blocks may nest), each in its own {@code NeuralNetConfiguration}.
 */
final class ResidualBlock extends org.deeplearning4j.nn.conf.layers.Layer {
    private static final long serialVersionUID = 1L;

    private final List<NeuralNetConfiguration> body;
    private final List<NeuralNetConfiguration> shortcut;

    ResidualBlock(String name, List<NeuralNetConfiguration> body, List<NeuralNetConfiguration> shortcut) {
        super(new ParameterFreeLayer.Named(name));
        this.body = List.copyOf(body);
        this.shortcut = List.copyOf(shortcut);
    }

    /** The body's layer configurations, first to last. */
    List<NeuralNetConfiguration> body() {
        return body;
    }

    /** The shortcut's layer configurations, first to last; empty for the identity. */
    List<NeuralNetConfiguration> shortcut() {
        return shortcut;
    }

    private List<NeuralNetConfiguration> nested() {
        List<NeuralNetConfiguration> all = new ArrayList<>(body);
        all.addAll(shortcut);
        return all;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        // Each nested layer gets its slice of the block's slice of the flat parameter vector, in
        // order: body first, then shortcut, as the canonical parameter order has it. Nested layers
        // get a non-zero index, because a layer at index 0 may skip its input gradient (it is the
        // network input there), while inside a block it is always needed.
        List<Layer> layers = new ArrayList<>();
        long at = 0;
        for (NeuralNetConfiguration c : nested()) {
            long n = c.getLayer().initializer().numParams(c);
            INDArray view = n > 0 ? layerParamsView.get(NDArrayIndex.interval(at, at + n)) : null;
            layers.add(c.getLayer().instantiate(c, trainingListeners, layerIndex + 1, view, initializeParams, networkDataType));
            at += n;
        }
        ResidualBlockLayer layer = new ResidualBlockLayer(conf, networkDataType, layers.subList(0, body.size()),
                layers.subList(body.size(), layers.size()));
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return Params.INSTANCE;
    }

    @Override
    public void setDataType(DataType dataType) {
        for (NeuralNetConfiguration c : nested()) {
            c.getLayer().setDataType(dataType);
        }
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        throw new UnsupportedOperationException("residual blocks are planned by the dl4j backend, not from input types");
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // nothing: the backend sets every size itself
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return List.of();
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return new NoOp(); // the model applies the api's SGD itself
    }

    @Override
    public GradientNormalization getGradientNormalization() {
        return GradientNormalization.None;
    }

    @Override
    public double getGradientNormalizationThreshold() {
        return 0;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, ResidualBlock.class, inputType, inputType)
                .standardMemory(Params.INSTANCE.numParams(this), 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /**
     * The block's parameter count, for DL4J to cut the flat vector: the nested layers' total. The
     * nested layers own and name their parameters, so the block itself declares none.
     */
    private static final class Params implements ParamInitializer {
        static final Params INSTANCE = new Params();

        @Override
        public long numParams(NeuralNetConfiguration conf) {
            return numParams(conf.getLayer());
        }

        @Override
        public long numParams(org.deeplearning4j.nn.conf.layers.Layer layer) {
            long n = 0;
            for (NeuralNetConfiguration c : ((ResidualBlock) layer).nested()) {
                n += c.getLayer().initializer().numParams(c);
            }
            return n;
        }

        @Override
        public List<String> paramKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return List.of();
        }

        @Override
        public List<String> weightKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return List.of();
        }

        @Override
        public List<String> biasKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return List.of();
        }

        @Override
        public boolean isWeightParam(org.deeplearning4j.nn.conf.layers.Layer layer, String key) {
            return false;
        }

        @Override
        public boolean isBiasParam(org.deeplearning4j.nn.conf.layers.Layer layer, String key) {
            return false;
        }

        @Override
        public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
            return Map.of();
        }

        @Override
        public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
            return Map.of();
        }
    }
}
