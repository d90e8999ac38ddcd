package org.infodyn.backend.dl4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@link ResidualBlock} implementation: runs the body and the shortcut on the same input and
 * adds them; backward, sends the output gradient down both branches and adds the two input
 * gradients.
 *
 * <p>The nested layers run under the workspace manager the network hands this layer, so their
 * outputs and gradients land where the network's own layers' would: forward outputs in the
 * activations workspace (kept for the backward pass), temporaries in this layer's working memory,
 * input gradients in this layer's activation-gradient workspace, which stays open until this
 * layer's backward pass is done.
 *
 * <p>At inference DL4J's activation layer works in place on its input. A body that starts with
 * one (possibly after a flattening view) would overwrite {@code x} before the shortcut reads it,
 * so the body then gets a copy.
 */
final class ResidualBlockLayer extends AbstractLayer<ResidualBlock> {
    private static final long serialVersionUID = 1L;

    private final List<Layer> body;
    private final List<Layer> shortcut;
    private INDArray paramsView;
    private INDArray gradientsView;

    ResidualBlockLayer(NeuralNetConfiguration conf, DataType dataType, List<Layer> body, List<Layer> shortcut) {
        super(conf, dataType);
        this.body = List.copyOf(body);
        this.shortcut = List.copyOf(shortcut);
    }

    /** The body's layers, first to last. */
    List<Layer> body() {
        return body;
    }

    /** The shortcut's layers, first to last (empty: identity). */
    List<Layer> shortcut() {
        return shortcut;
    }

    private List<Layer> nested() {
        List<Layer> all = new ArrayList<>(body);
        all.addAll(shortcut);
        return all;
    }

    /**
     * Whether a branch would write into its input at inference: its first layer that is not a
     * mere view of the input ({@link FlattenImage}) is DL4J's in-place activation layer.
     */
    private static boolean overwritesItsInputAtInference(List<Layer> branch) {
        for (Layer l : branch) {
            if (!(l instanceof FlattenImage.Impl)) {
                return l instanceof org.deeplearning4j.nn.layers.ActivationLayer;
            }
        }
        return false;
    }

    private static INDArray forward(List<Layer> branch, INDArray x, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray h = x;
        for (Layer l : branch) {
            h = l.activate(h, training, workspaceMgr);
        }
        return h;
    }

    private static INDArray backward(List<Layer> branch, INDArray dy, LayerWorkspaceMgr workspaceMgr) {
        INDArray g = dy;
        for (int i = branch.size() - 1; i >= 0; i--) {
            g = branch.get(i).backpropGradient(g, workspaceMgr).getSecond();
        }
        return g;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray bodyInput = input;
        if (!training && overwritesItsInputAtInference(body)) {
            bodyInput = workspaceMgr.dup(ArrayType.ACTIVATIONS, input);
        }
        INDArray b = forward(body, bodyInput, training, workspaceMgr);
        INDArray s = forward(shortcut, input, training, workspaceMgr);
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, b.shape(), 'c');
        return b.add(s, output);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        // No nested layer writes into the gradient it receives, so both branches can read epsilon.
        INDArray b = backward(body, epsilon, workspaceMgr);
        INDArray s = backward(shortcut, epsilon, workspaceMgr);
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        // The nested layers wrote their parameter gradients into their views of the flat vector.
        return new Pair<>(new DefaultGradient(), b.add(s, inputGradient));
    }

    @Override
    public long numParams() {
        long n = 0;
        for (Layer l : nested()) {
            n += l.numParams();
        }
        return n;
    }

    @Override
    public long numParams(boolean backwards) {
        return numParams();
    }

    @Override
    public INDArray params() {
        return paramsView;
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        this.paramsView = params;
    }

    @Override
    public INDArray getGradientsViewArray() {
        return gradientsView;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        this.gradientsView = gradients;
        long at = 0;
        for (Layer l : nested()) {
            long n = l.numParams();
            if (n > 0) {
                l.setBackpropGradientsViewArray(gradients.get(NDArrayIndex.interval(at, at + n)));
            }
            at += n;
        }
    }

    /** The nested layers' parameters, keyed {@code <nested layer name>_<parameter key>}. */
    @Override
    public Map<String, INDArray> paramTable() {
        return paramTable(false);
    }

    @Override
    public Map<String, INDArray> paramTable(boolean backpropParamsOnly) {
        Map<String, INDArray> all = new LinkedHashMap<>();
        for (Layer l : nested()) {
            l.paramTable(backpropParamsOnly).forEach((k, v) -> all.put(l.conf().getLayer().getLayerName() + "_" + k, v));
        }
        return all;
    }

    @Override
    public INDArray getParam(String param) {
        return paramTable().get(param);
    }

    @Override
    public void clear() {
        super.clear();
        for (Layer l : nested()) {
            l.clear();
        }
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        for (Layer l : nested()) {
            l.clearNoiseWeightParams();
        }
    }
}
