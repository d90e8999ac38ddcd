package org.infodyn.api.backend;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;

/**
 * The argument checks every {@link Model} implementation owes its callers, written once so that
 * every backend rejects bad input with the same message.
 */
public final class ModelArguments {
    private ModelArguments() {
    }

    /** The checks that start {@link Model#step}: the inputs, then one valid label per sample. */
    public static void checkStep(ModelSpec spec, FloatTensor inputs, int[] labels) {
        checkInputs(spec, inputs);
        checkLabels(spec, inputs, labels);
    }

    /** The checks that start {@link Model#activations}: the inputs, then the layer names. */
    public static void checkActivations(ModelSpec spec, FloatTensor inputs, List<String> layers) {
        checkInputs(spec, inputs);
        checkLayers(spec, layers);
    }

    /**
     * The checks that start {@link ReplicaGroup#step} and {@link ReplicaGroup#activations}: every
     * replica index in range and named once, every batch of the same size.
     *
     * @param size the group's R
     * @param replicas the replicas named, in order
     * @param rows each entry's number of samples
     */
    public static void checkReplicaBatches(int size, List<Integer> replicas, List<Integer> rows) {
        boolean[] seen = new boolean[size];
        for (int r : replicas) {
            if (r < 0 || r >= size) {
                throw new IllegalArgumentException("replica " + r + " outside [0, " + size + ")");
            }
            if (seen[r]) {
                throw new IllegalArgumentException("replica " + r + " named twice");
            }
            seen[r] = true;
        }
        if (rows.stream().distinct().count() > 1) {
            throw new IllegalArgumentException("the replicas' batches have different sizes " + rows + "; they must be equal");
        }
    }

    /** Inputs must be a non-empty batch of the model's per-sample shape. */
    public static void checkInputs(ModelSpec spec, FloatTensor inputs) {
        if (!Arrays.equals(inputs.sampleShape(), spec.inputShape())) {
            throw new IllegalArgumentException("inputs have per-sample shape " + Arrays.toString(inputs.sampleShape())
                    + " but model " + spec.id() + " expects " + Arrays.toString(spec.inputShape()));
        }
        if (inputs.rows() < 1) {
            throw new IllegalArgumentException("inputs hold no samples");
        }
    }

    /** One label per sample, each in {@code [0, outputClasses)}. */
    public static void checkLabels(ModelSpec spec, FloatTensor inputs, int[] labels) {
        if (labels.length != inputs.rows()) {
            throw new IllegalArgumentException(inputs.rows() + " samples but " + labels.length + " labels");
        }
        int k = spec.outputClasses();
        for (int y : labels) {
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("label " + y + " outside [0, " + k + ")");
            }
        }
    }

    /** Every requested layer exists. */
    public static void checkLayers(ModelSpec spec, List<String> layers) {
        for (String l : layers) {
            if (!spec.hasLayer(l)) {
                throw new IllegalArgumentException("no layer named " + l + "; layers: " + spec.layerNames());
            }
        }
    }

    /**
     * Every layer of {@code spec} is of a kind {@code backend} {@link Backend#supportedLayerKinds() supports}.
     *
     * @throws UnsupportedLayerException naming the first layer that is not
     */
    public static void checkLayerKinds(Backend backend, ModelSpec spec) {
        Set<String> supported = backend.supportedLayerKinds();
        spec.layers().stream().flatMap(LayerSpec::walk).filter(l -> !supported.contains(l.kind())).findFirst().ifPresent(l -> {
            throw new UnsupportedLayerException(backend.id(), l.name(), l.kind(), supported);
        });
    }

    /** {@code [n, ...layerShape]}: the shape of a layer's activations for {@code n} samples. */
    public static int[] batchShape(ModelSpec spec, String layer, int n) {
        int[] ls = spec.outputShape(layer);
        int[] shape = new int[ls.length + 1];
        shape[0] = n;
        System.arraycopy(ls, 0, shape, 1, ls.length);
        return shape;
    }
}
