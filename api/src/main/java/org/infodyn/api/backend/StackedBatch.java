package org.infodyn.api.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;

/**
 * The batches of one {@link ReplicaGroup#step} laid out for a batched computation: every replica's
 * inputs flattened into {@code [R, b, inputSize]} (zeros for replicas not stepped), labels
 * {@code [R, b]}, and the per-replica settings as {@code [R]} arrays. For backends that implement a
 * group natively; the argument checks are done here.
 *
 * @param rows b, the samples per replica
 * @param inputs {@code [R · b · inputSize]}, row-major
 * @param labels {@code [R · b]}
 * @param learningRates per replica (0 for those not stepped)
 * @param momenta per replica
 * @param weightDecays per replica
 * @param stepped which replicas step
 */
public record StackedBatch(int rows, float[] inputs, int[] labels, float[] learningRates, float[] momenta, float[] weightDecays,
        boolean[] stepped) {

    /**
     * Whether a network is a multilayer perceptron: dense layers and element-wise nonlinearities,
     * with at most a flatten first (stacked inputs arrive flattened). What the built-in native
     * groups batch; other networks take the portable group.
     */
    public static boolean isPerceptron(ModelSpec spec) {
        List<LayerSpec> layers = spec.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            if (!(l instanceof Dense || l instanceof Activation || l instanceof Flatten && i == 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks and stacks the batches of one step.
     *
     * @throws IllegalArgumentException as {@link ReplicaGroup#step} documents
     */
    public static StackedBatch of(ModelSpec spec, int replicas, List<ReplicaGroup.ReplicaBatch> batches) {
        ModelArguments.checkReplicaBatches(replicas, batches.stream().map(ReplicaGroup.ReplicaBatch::replica).toList(),
                batches.stream().map(b -> b.inputs().rows()).toList());
        int b = batches.isEmpty() ? 0 : batches.get(0).inputs().rows();
        int d = spec.inputSize();
        StackedBatch s = new StackedBatch(b, new float[replicas * b * d], new int[replicas * b], new float[replicas], new float[replicas],
                new float[replicas], new boolean[replicas]);
        for (ReplicaGroup.ReplicaBatch batch : batches) {
            ModelArguments.checkStep(spec, batch.inputs(), batch.labels());
            int r = batch.replica();
            System.arraycopy(batch.inputs().data(), 0, s.inputs, r * b * d, b * d);
            System.arraycopy(batch.labels(), 0, s.labels, r * b, b);
            s.learningRates[r] = (float) batch.sgd().learningRate();
            s.momenta[r] = (float) batch.sgd().momentum();
            s.weightDecays[r] = (float) batch.sgd().weightDecay();
            s.stepped[r] = true;
        }
        return s;
    }

    /** Whether every replica steps. */
    public boolean all() {
        for (boolean on : stepped) {
            if (!on) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks and stacks the inputs of one {@link ReplicaGroup#activations} call:
     * {@code [R · n · inputSize]}, zeros for replicas not asked for.
     */
    public static float[] inputs(ModelSpec spec, int replicas, List<ReplicaGroup.ReplicaInputs> inputs, List<String> layers) {
        ModelArguments.checkReplicaBatches(replicas, inputs.stream().map(ReplicaGroup.ReplicaInputs::replica).toList(),
                inputs.stream().map(i -> i.inputs().rows()).toList());
        int n = inputs.isEmpty() ? 0 : inputs.get(0).inputs().rows();
        int d = spec.inputSize();
        float[] xs = new float[replicas * n * d];
        for (ReplicaGroup.ReplicaInputs in : inputs) {
            ModelArguments.checkActivations(spec, in.inputs(), layers);
            System.arraycopy(in.inputs().data(), 0, xs, in.replica() * n * d, n * d);
        }
        return xs;
    }

    /**
     * Cuts stacked layer outputs ({@code [R · n · width]} per layer) into the maps
     * {@link ReplicaGroup#activations} returns, one per entry of {@code inputs}.
     */
    public static List<Map<String, FloatTensor>> split(ModelSpec spec, List<ReplicaGroup.ReplicaInputs> inputs, List<String> layers,
            Map<String, float[]> stacked) {
        int n = inputs.isEmpty() ? 0 : inputs.get(0).inputs().rows();
        List<Map<String, FloatTensor>> out = new ArrayList<>(inputs.size());
        for (ReplicaGroup.ReplicaInputs in : inputs) {
            Map<String, FloatTensor> m = new LinkedHashMap<>();
            for (String l : layers) {
                int width = spec.outputSize(l);
                int from = in.replica() * n * width;
                m.put(l, new FloatTensor(ModelArguments.batchShape(spec, l, n), Arrays.copyOfRange(stacked.get(l), from, from + n * width)));
            }
            out.add(m);
        }
        return out;
    }
}
