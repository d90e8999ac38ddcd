package org.infodyn.backend.dl4j;

import java.util.LinkedHashMap;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Configuration of infodyn's {@code BatchNorm} node in DL4J, with the api's exact semantics
 * (PyTorch's): normalisation by the biased batch variance, running statistics updated during the
 * training forward pass as {@code r ← (1 − momentum)·r + momentum·s} with the <em>unbiased</em>
 * batch variance, running statistics at inference. Over dimension 1 of {@code [n, C, H, W]}
 * (per channel) or {@code [n, F]} (per feature). Parameters in canonical order:
 * {@code weight}, {@code bias}, {@code running_mean}, {@code running_var}, each {@code [C]}.
 * Implemented by {@link ExactBatchNormLayer}.
 *
 * <p>Why not DL4J's {@code BatchNormalization}: its running variance averages the biased batch
 * variance, it updates the running statistics in the backward pass through its gradient vector
 * (so a generic SGD step over that vector would move them), it stores the log of the standard
 * deviation by default, and its statistics are computed in float32.
 */
final class ExactBatchNorm extends CanonicalLayerConfiguration {
    private static final long serialVersionUID = 1L;

    private final double epsilon;
    private final double momentum;

    private ExactBatchNorm(Builder builder) {
        super(builder);
        this.epsilon = builder.epsilon;
        this.momentum = builder.momentum;
    }

    double epsilon() {
        return epsilon;
    }

    double momentum() {
        return momentum;
    }

    @Override
    public LinkedHashMap<String, long[]> parameterShapes() {
        LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
        for (String key : new String[] {"weight", "bias", "running_mean", "running_var"}) {
            shapes.put(key, new long[] {nOut});
        }
        return shapes;
    }

    @Override
    protected ExactBatchNormLayer newLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new ExactBatchNormLayer(conf, networkDataType);
    }

    /** Builds an {@link ExactBatchNorm}; {@code nIn} = {@code nOut} = channels (or features). */
    @SuppressWarnings("unchecked") // build() narrows DL4J's generic <E extends Layer> E build()
    static final class Builder extends FeedForwardLayer.Builder<Builder> {
        private double epsilon = 1e-5;
        private double momentum = 0.1;

        Builder statistics(double epsilon, double momentum) {
            this.epsilon = epsilon;
            this.momentum = momentum;
            return this;
        }

        @Override
        public ExactBatchNorm build() {
            return new ExactBatchNorm(this);
        }
    }
}
