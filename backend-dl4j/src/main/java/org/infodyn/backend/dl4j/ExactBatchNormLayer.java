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
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link ExactBatchNorm} implementation.
 *
 * <p>Training forward pass: the per-channel batch mean and biased variance are computed in
 * float64 (as PyTorch accumulates them, and as the tf backend does: in float32, a channel with a
 * small variance, such as an image's uniform background, turns summation error into visible
 * differences after a few steps); the running statistics are updated right there, in float64 and
 * rounded once, exactly as the reference does, by writing into their views of DL4J's flat
 * parameter vector. Their entries in the flat gradient vector stay zero, so the step's SGD leaves
 * them alone (weight decay is masked for them, see {@link SgdUpdater}). The normalisation itself,
 * {@code y = (x − μ)·(γ/√(σ² + ε)) + β}, runs in float32 with per-channel constants.
 *
 * <p>Backward pass (training statistics), with {@code x̂ = (x − μ)/√(σ² + ε)} and {@code m}
 * values per channel: {@code dγ = Σ dy·x̂}, {@code dβ = Σ dy},
 * {@code dx = γ/√(σ² + ε) · (dy − dβ/m − x̂·dγ/m)}, computed as
 * {@code dy·k₁ + (x − μ)·k₂ + k₃} with per-channel constants. The statistics of the forward pass
 * are kept for it: one forward pass, then one backward pass, as the network runs them.
 */
final class ExactBatchNormLayer extends BaseLayer<ExactBatchNorm> {
    private static final long serialVersionUID = 1L;

    /**
     * Set by {@link Dl4jModel#gradient} around its back-propagation on this thread: training-mode
     * passes then normalise with the running statistics (and leave them unchanged), so the
     * gradient is the inference-mode network's, as the api defines it. The layers of a network are
     * not reachable one by one inside residual blocks; a per-thread switch reaches them all.
     */
    static final ThreadLocal<Boolean> RUNNING_STATISTICS = ThreadLocal.withInitial(() -> false);

    /** Mean (float32, as subtracted) and 1/√(σ² + ε) of the last training-mode forward pass. */
    private float[] trainingMean;
    private double[] trainingInverseStd;
    /** Whether that pass normalised with the running statistics (constants for the backward pass). */
    private boolean trainingUsedRunningStatistics;

    ExactBatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The dimensions reduced per channel: all but dimension 1. */
    private int[] reduced() {
        return input.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
    }

    private int channels() {
        return Math.toIntExact(layerConf().getNOut());
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        super.setBackpropGradientsViewArray(gradients);
        // Never written by the backward pass: the running statistics are not trained.
        gradientViews.get("running_mean").assign(0);
        gradientViews.get("running_var").assign(0);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        int c = channels();
        if ((input.rank() != 4 && input.rank() != 2) || input.size(1) != c) {
            throw new IllegalStateException("batchnorm " + layerConf().getLayerName() + " expects [n, " + c
                    + "] or [n, " + c + ", h, w] activations, got " + input.shapeInfoToString());
        }
        double eps = layerConf().epsilon();
        float[] mean = new float[c];
        double[] inverseStd = new double[c];
        boolean batchStatistics = training && !RUNNING_STATISTICS.get();
        if (batchStatistics) {
            INDArray x64 = input.castTo(DataType.DOUBLE); // a temporary in the layer's working memory
            double[] batchMean = x64.mean(reduced()).toDoubleVector();
            double[] batchVar = x64.var(false, reduced()).toDoubleVector();
            long m = input.length() / c;
            double momentum = layerConf().momentum();
            float[] runningMean = Matrices.read(getParam("running_mean"));
            float[] runningVar = Matrices.read(getParam("running_var"));
            for (int ch = 0; ch < c; ch++) {
                double unbiased = m > 1 ? batchVar[ch] * m / (m - 1) : batchVar[ch];
                runningMean[ch] = (float) ((1 - momentum) * runningMean[ch] + momentum * batchMean[ch]);
                runningVar[ch] = (float) ((1 - momentum) * runningVar[ch] + momentum * unbiased);
                mean[ch] = (float) batchMean[ch];
                inverseStd[ch] = 1 / Math.sqrt(batchVar[ch] + eps);
            }
            Matrices.writeVector(getParam("running_mean"), runningMean);
            Matrices.writeVector(getParam("running_var"), runningVar);
            trainingMean = mean;
            trainingInverseStd = inverseStd;
            trainingUsedRunningStatistics = false;
        } else {
            float[] runningMean = Matrices.read(getParam("running_mean"));
            float[] runningVar = Matrices.read(getParam("running_var"));
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = runningMean[ch];
                inverseStd[ch] = 1 / Math.sqrt((double) runningVar[ch] + eps);
            }
            if (training) {
                trainingMean = mean;
                trainingInverseStd = inverseStd;
                trainingUsedRunningStatistics = true;
            }
        }
        float[] gamma = Matrices.read(getParam("weight"));
        float[] scale = new float[c];
        for (int ch = 0; ch < c; ch++) {
            scale[ch] = (float) (gamma[ch] * inverseStd[ch]);
        }
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, input.shape(), input.ordering());
        Nd4j.exec(new BroadcastSubOp(input, Nd4j.createFromArray(mean), output, 1));
        Nd4j.exec(new BroadcastMulOp(output, Nd4j.createFromArray(scale), output, 1));
        Nd4j.exec(new BroadcastAddOp(output, getParam("bias"), output, 1));
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (trainingMean == null) {
            throw new IllegalStateException("batchnorm " + layerConf().getLayerName() + ": backward pass without a training forward pass");
        }
        int c = channels();
        long m = input.length() / c;
        INDArray centred = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, input.shape(), input.ordering());
        Nd4j.exec(new BroadcastSubOp(input, Nd4j.createFromArray(trainingMean), centred, 1));
        float[] sumDy = epsilon.sum(reduced()).toFloatVector();
        float[] sumDyCentred = epsilon.mul(centred).sum(reduced()).toFloatVector();
        float[] gammaGradient = new float[c];
        float[] betaGradient = new float[c];
        float[] k1 = new float[c];
        float[] k2 = new float[c];
        float[] k3 = new float[c];
        float[] gamma = Matrices.read(getParam("weight"));
        for (int ch = 0; ch < c; ch++) {
            double inv = trainingInverseStd[ch];
            double sumDyXhat = inv * sumDyCentred[ch];
            double gammaInv = gamma[ch] * inv;
            gammaGradient[ch] = (float) sumDyXhat;
            betaGradient[ch] = sumDy[ch];
            k1[ch] = (float) gammaInv;
            // with running statistics the output is affine in the input: only the first term remains
            k2[ch] = trainingUsedRunningStatistics ? 0f : (float) (-gammaInv * inv * sumDyXhat / m);
            k3[ch] = trainingUsedRunningStatistics ? 0f : (float) (-gammaInv * sumDy[ch] / m);
        }
        INDArray gammaView = gradientViews.get("weight");
        INDArray betaView = gradientViews.get("bias");
        Matrices.writeVector(gammaView, gammaGradient);
        Matrices.writeVector(betaView, betaGradient);

        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        Nd4j.exec(new BroadcastMulOp(epsilon, Nd4j.createFromArray(k1), inputGradient, 1));
        Nd4j.exec(new BroadcastMulOp(centred, Nd4j.createFromArray(k2), centred, 1));
        inputGradient.addi(centred);
        Nd4j.exec(new BroadcastAddOp(inputGradient, Nd4j.createFromArray(k3), inputGradient, 1));
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put("weight", gammaView);
        gradient.gradientForVariable().put("bias", betaView);
        return new Pair<>(gradient, inputGradient);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }
}
