package org.infodyn.backend.dl4j;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration base of the backend's own parameter-free DL4J layers ({@link FlattenImage},
 * {@link ChannelMean}). The backend plans every shape itself and never gives DL4J an input type,
 * so DL4J's shape inference and preprocessor insertion are not supported.
 */
abstract class ParameterFreeLayer extends NoParamLayer {
    private static final long serialVersionUID = 1L;

    ParameterFreeLayer(String name) {
        super(new Named(name));
    }

    /** The implementation for one network. */
    abstract Layer implementation(NeuralNetConfiguration conf, DataType dataType);

    @Override
    public final Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        Layer layer = implementation(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        return layer;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is planned by the dl4j backend, not from input types");
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, inputType)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** The only builder setting of a parameter-free layer (and of a residual block): its name. */
    static final class Named extends org.deeplearning4j.nn.conf.layers.Layer.Builder<Named> {
        Named(String name) {
            name(name);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <E extends org.deeplearning4j.nn.conf.layers.Layer> E build() {
            throw new UnsupportedOperationException("a name only: layers are built through their own constructors");
        }
    }
}
