package org.infodyn.backend.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's dense layer with the identity activation, minus two computations its backward pass
 * throws away. DL4J's {@code BaseLayer.backpropGradient} first recomputes the layer's output
 * {@code z = x·W + b} (a matrix product and a bias addition) only to pass it to the activation's
 * derivative, which for the identity ignores it; and it computes the gradient with respect to the
 * input even for the first layer, whose input is the data. For the checkerboard network those are
 * the most expensive products of the step (the first layer's 227 × 100 weight).
 *
 * <p>The rest is DL4J's code path, operation for operation: the forward pass is
 * {@code BaseLayer}'s, and the backward pass below runs the same calls as
 * {@code BaseLayer.backpropGradient} on the same gradient views, so the gradients are bit-identical
 * to a stock {@code DenseLayer}'s (a test checks it). It supports what infodyn's dense node needs:
 * no dropout, weight noise, layer normalisation or masks.
 */
final class LinearDenseLayer extends BaseLayer<LinearDense> {
    private static final long serialVersionUID = 1L;

    LinearDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        Nd4j.gemm(input.castTo(weightGrad.dataType()), epsilon, weightGrad, true, false, 1.0, 0.0);
        INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
        epsilon.sum(biasGrad, 0);
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
        gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);

        INDArray inputGradient = null;
        if (getIndex() > 0) {
            INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
            inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                    new long[] {w.size(0), epsilon.size(0)}, 'f');
            inputGradient = w.mmuli(epsilon.transpose(), inputGradient).transpose();
        }
        return new Pair<>(gradient, inputGradient);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }
}
