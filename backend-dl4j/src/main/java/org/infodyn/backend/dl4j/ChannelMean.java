package org.infodyn.backend.dl4j;

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
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * infodyn's {@code GlobalAvgPool}: the mean of each channel over all positions,
 * {@code [n, C, H, W] → [n, C]}; backward, each position receives {@code dy / (H·W)}. Written
 * here rather than configured from DL4J's {@code GlobalPoolingLayer} to keep the output exactly
 * {@code [n, C]} without DL4J's input-type machinery (which this backend does not use).
 */
final class ChannelMean extends ParameterFreeLayer {
    private static final long serialVersionUID = 1L;

    ChannelMean(String name) {
        super(name);
    }

    @Override
    Layer implementation(NeuralNetConfiguration conf, DataType dataType) {
        return new Impl(conf, dataType);
    }

    /** The DL4J layer. */
    static final class Impl extends AbstractLayer<ChannelMean> {
        private static final long serialVersionUID = 1L;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(false);
            if (input.rank() != 4) {
                throw new IllegalStateException("globalavgpool " + layerConf().getLayerName() + " expects [n, c, h, w] activations, got "
                        + input.shapeInfoToString());
            }
            INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {input.size(0), input.size(1)}, 'c');
            return input.mean(output, 2, 3);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            long positions = input.size(2) * input.size(3);
            INDArray share = epsilon.div(positions); // [n, C], a temporary in working memory
            INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
            Nd4j.exec(new BroadcastCopyOp(inputGradient, share, inputGradient, 0, 1));
            return new Pair<>(new DefaultGradient(), inputGradient);
        }

        @Override
        public boolean isPretrainLayer() {
            return false;
        }

        @Override
        public void clearNoiseWeightParams() {
        }
    }
}
