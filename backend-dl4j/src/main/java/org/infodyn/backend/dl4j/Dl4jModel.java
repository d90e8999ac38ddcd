package org.infodyn.backend.dl4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ModelArguments;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network held by DL4J: a {@link Dl4jNetwork} planned by {@link NetworkPlan}, whose flat
 * parameter vector is the canonical parameters concatenated ({@link ParameterLayout}).
 *
 * <p>A step copies the batch into a reused native array, lets DL4J run the forward pass, reads
 * the logits back (they give the loss and accuracy exactly as the other backends compute them),
 * hands DL4J the softmax cross-entropy gradient to back-propagate, then applies the api's SGD
 * update to the flat vectors ({@link SgdUpdater}).
 *
 * <p>Memory: parameters, gradients, the momentum buffer and the step buffers are closed by
 * {@link #close()}; the intermediate arrays of steps and activation passes live in per-thread
 * workspaces (DL4J's, and one for inference), which every model on that thread reuses and which
 * keep the size of the largest pass. {@code MultiLayerNetwork.close()} is deliberately not
 * called: it destroys every workspace of the calling thread (also those of other live models) and
 * runs {@code System.gc()}.
 */
final class Dl4jModel implements Model {
    private final ModelSpec spec;
    private final NetworkPlan plan;
    private final Dl4jNetwork net;
    private final SgdUpdater updater;
    private final StepBuffers buffers;
    private boolean closed;

    Dl4jModel(ModelSpec spec, Parameters initial) {
        this.spec = spec;
        this.plan = NetworkPlan.of(spec);
        this.net = new Dl4jNetwork(plan.configuration());
        net.init();
        net.initGradientsView();
        ParameterLayout.verify(spec, net);
        this.updater = new SgdUpdater(net.params(), net.getFlattenedGradients(), trainableMask(spec));
        this.buffers = new StepBuffers(plan.inputShape(), spec.outputClasses());
        setParameters(initial);
    }

    /**
     * 1 for each trainable entry of the flat parameter vector, 0 for the others (batch-norm running
     * statistics); null when every parameter is trainable.
     */
    private static float[] trainableMask(ModelSpec spec) {
        if (spec.parameters().stream().allMatch(ParameterSpec::trainable)) {
            return null;
        }
        float[] mask = new float[spec.parameters().stream().mapToInt(ParameterSpec::size).sum()];
        int at = 0;
        for (ParameterSpec p : spec.parameters()) {
            Arrays.fill(mask, at, at + p.size(), p.trainable() ? 1f : 0f);
            at += p.size();
        }
        return mask;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public StepResult step(FloatTensor inputs, int[] labels, SgdSettings sgd) {
        checkOpen();
        ModelArguments.checkStep(spec, inputs, labels);
        float[] logits = backpropagate(inputs, labels);
        updater.apply(sgd);
        return StepResult.fromLogits(logits, 0, labels, spec.outputClasses());
    }

    /**
     * The api's gradient: the training step's back-propagation with batch norms switched to their
     * running statistics, the flattened gradients read out in the canonical layout, no update.
     */
    @Override
    public Parameters gradient(FloatTensor inputs, int[] labels) {
        checkOpen();
        ModelArguments.checkStep(spec, inputs, labels);
        ExactBatchNormLayer.RUNNING_STATISTICS.set(true);
        try {
            backpropagate(inputs, labels);
        } finally {
            ExactBatchNormLayer.RUNNING_STATISTICS.set(false);
        }
        Parameters all = ParameterLayout.unflatten(spec, Matrices.read(net.getFlattenedGradients()));
        Map<String, FloatTensor> trainable = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable()) {
                trainable.put(p.name(), all.get(p.name()));
            }
        }
        return new Parameters(trainable);
    }

    /**
     * A forward pass and the back-propagation of the mean softmax cross-entropy: afterwards the
     * flattened gradients hold the loss's gradient; returns the logits (the step buffers' array).
     */
    private float[] backpropagate(FloatTensor inputs, int[] labels) {
        int k = spec.outputClasses();
        buffers.resize(inputs.rows());
        float[] logits = buffers.logits();
        net.computeGradient(buffers.input(inputs.data()), out -> {
            Matrices.readRowMajor(out, logits);
            SoftmaxCrossEntropy.gradient(logits, labels, k, buffers.lossGradientValues());
            return buffers.lossGradient();
        });
        return logits;
    }

    @Override
    public void resetOptimizerState() {
        checkOpen();
        updater.reset();
    }

    @Override
    public Map<String, FloatTensor> activations(FloatTensor inputs, List<String> layers) {
        checkOpen();
        ModelArguments.checkActivations(spec, inputs, layers);
        int deepest = 0;
        for (String layer : layers) {
            deepest = Math.max(deepest, plan.outputIndex(layer));
        }
        int n = inputs.rows();
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (String layer : layers) {
            out.put(layer, new FloatTensor(ModelArguments.batchShape(spec, layer, n), new float[n * spec.outputSize(layer)]));
        }
        INDArray x = Matrices.detached(StepBuffers.batchShape(n, plan.inputShape()));
        try {
            Matrices.write(x, inputs.data());
            net.inferOutputs(x, deepest, (output, index) -> {
                for (String layer : layers) {
                    if (plan.outputIndex(layer) == index) {
                        Matrices.readRowMajor(output, out.get(layer).data());
                    }
                }
            });
        } finally {
            x.close();
        }
        return out;
    }

    @Override
    public Parameters parameters() {
        checkOpen();
        return ParameterLayout.unflatten(spec, Matrices.read(net.params()));
    }

    @Override
    public void setParameters(Parameters values) {
        checkOpen();
        values.checkFits(spec);
        Matrices.write(net.params(), ParameterLayout.flatten(spec, values));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            buffers.close();
            updater.close();
            net.params().close();
            INDArray gradients = net.getFlattenedGradients();
            if (gradients != null) { // DL4J makes none for a network without parameters
                gradients.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Dl4jModel[" + spec.describe() + " on cpu]";
    }
}
