package org.infodyn.backend.dl4j;

import java.util.LinkedHashMap;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Configuration of infodyn's {@code Conv2d} node in DL4J: a 2-D cross-correlation over NCHW
 * activations with square kernels, equal strides and explicit symmetric zero padding, the output
 * size rounded down ({@code ⌊(H + 2p − k) / s⌋ + 1}, DL4J's {@code ConvolutionMode.Truncate}).
 * Parameters in canonical layout and order: {@code weight [filters, channels, k, k]} row-major, then
 * {@code bias [filters]} ({@link CanonicalParameters}). Implemented by {@link NativeConv2dLayer}.
 *
 * <p>Why not DL4J's {@code ConvolutionLayer}: it stores the bias before the weight (so the flat
 * vector would no longer be the canonical parameters concatenated), and its backward pass
 * recomputes the whole forward pass (im2col and the matrix product) to obtain the pre-activation
 * that an identity activation does not need.
 */
final class NativeConv2d extends CanonicalLayerConfiguration {
    private static final long serialVersionUID = 1L;

    private final int kernel;
    private final int stride;
    private final int padding;

    private NativeConv2d(Builder builder) {
        super(builder);
        this.kernel = builder.kernel;
        this.stride = builder.stride;
        this.padding = builder.padding;
    }

    int kernel() {
        return kernel;
    }

    int stride() {
        return stride;
    }

    int padding() {
        return padding;
    }

    @Override
    public LinkedHashMap<String, long[]> parameterShapes() {
        LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("weight", new long[] {nOut, nIn, kernel, kernel});
        shapes.put("bias", new long[] {nOut});
        return shapes;
    }

    @Override
    public List<String> weightKeys() {
        return List.of("weight");
    }

    @Override
    public List<String> biasKeys() {
        return List.of("bias");
    }

    @Override
    protected NativeConv2dLayer newLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new NativeConv2dLayer(conf, networkDataType);
    }

    /** Builds a {@link NativeConv2d}: {@code nIn} = input channels, {@code nOut} = filters. */
    @SuppressWarnings("unchecked") // build() narrows DL4J's generic <E extends Layer> E build()
    static final class Builder extends FeedForwardLayer.Builder<Builder> {
        private int kernel = 1;
        private int stride = 1;
        private int padding;

        Builder geometry(int kernel, int stride, int padding) {
            this.kernel = kernel;
            this.stride = stride;
            this.padding = padding;
            return this;
        }

        @Override
        public NativeConv2d build() {
            return new NativeConv2d(this);
        }
    }
}
