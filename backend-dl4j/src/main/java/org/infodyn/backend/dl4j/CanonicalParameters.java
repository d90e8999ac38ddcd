package org.infodyn.backend.dl4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J's parameter initialiser for the backend's own layers whose parameters are stored exactly in
 * infodyn's canonical layout: one row-major ('c') view per canonical parameter, in the canonical
 * order, named by the canonical suffix ({@code weight}, {@code bias}, {@code running_mean},
 * {@code running_var}). The layer's slice of DL4J's flat parameter vector is then the canonical
 * parameters of that layer concatenated, which is what {@link ParameterLayout} relies on. (DL4J's
 * own convolution layer, for one, stores its bias <em>before</em> its weight, and its batch norm
 * stores other quantities.)
 *
 * <p>Values are never drawn here: the api supplies every initial value, so initialisation only
 * zero-fills (what DL4J's freshly allocated vector holds anyway). The same views are cut from the
 * flat gradient vector.
 */
final class CanonicalParameters implements ParamInitializer {
    private static final CanonicalParameters INSTANCE = new CanonicalParameters();

    /** A layer configuration whose parameters use this initialiser. */
    interface Owner {
        /** Canonical suffix → canonical shape, in canonical order. */
        LinkedHashMap<String, long[]> parameterShapes();

        /** Which of the parameters are weights (for DL4J's bookkeeping only; nothing regularises them). */
        default List<String> weightKeys() {
            return List.of();
        }

        /** Which of the parameters are biases (for DL4J's bookkeeping only). */
        default List<String> biasKeys() {
            return List.of();
        }
    }

    private CanonicalParameters() {
    }

    static CanonicalParameters getInstance() {
        return INSTANCE;
    }

    private static Owner owner(Layer layer) {
        if (!(layer instanceof Owner o)) {
            throw new IllegalArgumentException("not a layer with canonical parameters: " + layer);
        }
        return o;
    }

    private static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        long n = 0;
        for (long[] shape : owner(layer).parameterShapes().values()) {
            n += size(shape);
        }
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return new ArrayList<>(owner(layer).parameterShapes().keySet());
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return owner(layer).weightKeys();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return owner(layer).biasKeys();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return owner(layer).weightKeys().contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return owner(layer).biasKeys().contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        if (initializeParams) {
            paramsView.assign(0);
        }
        Map<String, INDArray> views = views(conf.getLayer(), paramsView);
        for (String key : views.keySet()) {
            conf.addVariable(key);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf.getLayer(), gradientView);
    }

    /** Cuts a layer's flat slice into one row-major view per parameter, in canonical order. */
    private static Map<String, INDArray> views(Layer layer, INDArray flat) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        INDArray vector = flat.reshape(flat.length());
        long at = 0;
        for (Map.Entry<String, long[]> e : owner(layer).parameterShapes().entrySet()) {
            long n = size(e.getValue());
            out.put(e.getKey(), vector.get(NDArrayIndex.interval(at, at + n)).reshape('c', e.getValue()));
            at += n;
        }
        return out;
    }
}
