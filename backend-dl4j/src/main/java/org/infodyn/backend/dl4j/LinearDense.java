package org.infodyn.backend.dl4j;

import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a DL4J dense layer without nonlinearity ({@code y = x·W + b}), the
 * {@link LinearDenseLayer} implementation of infodyn's {@code Dense} node. Same parameters, same
 * layout and same forward pass as DL4J's {@code DenseLayer} with the identity activation (it uses
 * DL4J's {@code DefaultParamInitializer} and {@code BaseLayer}); only the backward pass differs, see
 * {@link LinearDenseLayer}. A DL4J custom layer: configuration plus implementation, instantiated by
 * DL4J from {@link #instantiate}.
 */
final class LinearDense extends FeedForwardLayer {
    private static final long serialVersionUID = 1L;

    private LinearDense(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        // The same steps as DL4J's DenseLayer.instantiate, with the other implementation class.
        LayerValidation.assertNInNOutSet("LinearDense", getLayerName(), layerIndex, getNIn(), getNOut());
        LinearDenseLayer layer = new LinearDenseLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(getActivationFn()).build().getMemoryReport(inputType);
    }

    /** Builds a {@link LinearDense}; the activation is always the identity. */
    @SuppressWarnings("unchecked") // build() narrows DL4J's generic <E extends Layer> E build()
    static final class Builder extends FeedForwardLayer.Builder<Builder> {
        Builder() {
            activation(org.nd4j.linalg.activations.Activation.IDENTITY);
        }

        @Override
        public LinearDense build() {
            return new LinearDense(this);
        }
    }
}
