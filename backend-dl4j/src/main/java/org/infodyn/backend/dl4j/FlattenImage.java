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
import org.nd4j.linalg.api.shape.Shape;

/**
 * infodyn's {@code Flatten} of channels-first images: {@code [n, C, H, W] → [n, C·H·W]} in
 * row-major order, i.e. the api's canonical flattening. Only planned where the activations really
 * are images; a {@code Flatten} of activations that are already vectors (an MLP fed flat inputs)
 * maps to no DL4J layer at all. A view of its input wherever the input is row-major contiguous
 * (every layer of this backend produces such outputs), a copy otherwise.
 */
final class FlattenImage extends ParameterFreeLayer {
    private static final long serialVersionUID = 1L;

    FlattenImage(String name) {
        super(name);
    }

    @Override
    Layer implementation(NeuralNetConfiguration conf, DataType dataType) {
        return new Impl(conf, dataType);
    }

    /** The DL4J layer: a reshape forward, the inverse reshape backward. */
    static final class Impl extends AbstractLayer<FlattenImage> {
        private static final long serialVersionUID = 1L;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        /** {@code a} reshaped row-major to {@code shape}, in the workspace of {@code type}. */
        private static INDArray reshape(INDArray a, long[] shape, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
            INDArray view = Shape.newShapeNoCopy(a, shape, false);
            if (view == null) { // not row-major contiguous: copy into the right workspace first
                view = Shape.newShapeNoCopy(workspaceMgr.dup(type, a, 'c'), shape, false);
                return view;
            }
            // A view lives where its base lives; move it only when that is another workspace.
            return workspaceMgr.leverageTo(type, view);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(false);
            long n = input.size(0);
            return reshape(input, new long[] {n, input.length() / n}, ArrayType.ACTIVATIONS, workspaceMgr);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            return new Pair<>(new DefaultGradient(), reshape(epsilon, input.shape(), ArrayType.ACTIVATION_GRAD, workspaceMgr));
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
