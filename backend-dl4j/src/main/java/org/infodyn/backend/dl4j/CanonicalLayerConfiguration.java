package org.infodyn.backend.dl4j;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The configuration side shared by the backend's own layers with parameters (convolution, batch
 * norm): parameters stored in canonical layout through {@link CanonicalParameters}, and the
 * wiring DL4J expects when it instantiates a layer into its slice of the flat parameter vector.
 * A subclass says which parameters it has and which runtime layer implements it.
 */
abstract class CanonicalLayerConfiguration extends FeedForwardLayer implements CanonicalParameters.Owner {
    private static final long serialVersionUID = 1L;

    protected CanonicalLayerConfiguration(FeedForwardLayer.Builder<?> builder) {
        super(builder);
    }

    /** A fresh runtime layer for this configuration, before DL4J gives it parameters. */
    protected abstract BaseLayer<?> newLayer(NeuralNetConfiguration conf, DataType networkDataType);

    @Override
    public final Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        BaseLayer<?> layer = newLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public final ParamInitializer initializer() {
        return CanonicalParameters.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, inputType)
                .standardMemory(initializer().numParams(this), 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }
}
