package org.infodyn.backend.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link NativeConv2d} implementation: libnd4j's {@code conv2d} and {@code conv2d_bp}
 * operations, the same native kernels DL4J's oneDNN helper for its convolution layer calls (that
 * helper is never enabled in DL4J 1.0.0-M2.1 on nd4j-native: its capability check looks for a
 * class that this ND4J version names differently, so DL4J's layer always takes its slower Java
 * im2col path). One native call computes the output; one computes the input, weight and bias
 * gradients together, writing the latter two straight into DL4J's flat gradient vector.
 *
 * <p>Integer arguments of both operations: kernel h/w, stride h/w, padding h/w, dilation h/w
 * (1), "same" mode (0: explicit padding, output size rounded down), data format (0: NCHW) and
 * weight format (1: {@code [out, in, kh, kw]}, the canonical layout).
 */
final class NativeConv2dLayer extends BaseLayer<NativeConv2d> {
    private static final long serialVersionUID = 1L;

    NativeConv2dLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private int[] arguments() {
        NativeConv2d c = layerConf();
        return new int[] {c.kernel(), c.kernel(), c.stride(), c.stride(), c.padding(), c.padding(), 1, 1, 0, 0, 1};
    }

    private long outputSize(long in) {
        NativeConv2d c = layerConf();
        return (in + 2L * c.padding() - c.kernel()) / c.stride() + 1;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (input.rank() != 4 || input.size(1) != layerConf().getNIn()) {
            throw new IllegalStateException("conv2d " + layerConf().getLayerName() + " expects [n, " + layerConf().getNIn()
                    + ", h, w] activations, got " + input.shapeInfoToString());
        }
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[] {input.size(0), layerConf().getNOut(), outputSize(input.size(2)), outputSize(input.size(3))}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(input, getParam("weight"), getParam("bias"))
                .addOutputs(output)
                .addIntegerArguments(arguments())
                .build());
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray weightGradient = gradientViews.get("weight");
        INDArray biasGradient = gradientViews.get("bias");
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                .addInputs(input, getParam("weight"), getParam("bias"), epsilon)
                .addOutputs(inputGradient, weightGradient, biasGradient)
                .addIntegerArguments(arguments())
                .build());
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put("weight", weightGradient);
        gradient.gradientForVariable().put("bias", biasGradient);
        return new Pair<>(gradient, inputGradient);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return true;
    }
}
