package org.infodyn.api.probe;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ReplicaGroup;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;

/**
 * The network being trained, as a {@link NetworkInspection} sees it at a probe point: valid only
 * during {@link NetworkInspection#inspect}, on the training thread, with training paused. Nothing
 * here changes the network.
 */
public interface LiveNetwork {
    /** The architecture. */
    ModelSpec spec();

    /** Current parameters, canonical layout, copied. */
    Parameters parameters();

    /** The parameters this run started from (step 0), canonical layout. */
    Parameters initialParameters();

    /** The number of samples in the held-out probe split. */
    int probeSize();

    /**
     * The inputs of some samples of the held-out probe split (copied: ask only for the rows you
     * need; a probe split of images can be large).
     *
     * @param rows indices in {@code [0, probeSize())}
     * @return {@code [rows.length, ...inputShape]}
     */
    FloatTensor probeInputs(int[] rows);

    /**
     * Activations of named layers in inference mode, as {@link org.infodyn.api.backend.Model#activations}.
     *
     * @param inputs {@code [n, ...inputShape]}
     * @param layers layer names of {@link #spec()}
     */
    Map<String, FloatTensor> activations(FloatTensor inputs, List<String> layers);

    /**
     * The gradient of the mean cross-entropy of a batch with respect to every trainable parameter,
     * as {@link org.infodyn.api.backend.Model#gradient} defines it (inference mode, no weight decay).
     * Only for inspections that {@linkplain NetworkInspection#needsGradients() say they need it}.
     *
     * @param inputs {@code [b, ...inputShape]}
     * @param labels b class indices of the network's output
     */
    Parameters gradient(FloatTensor inputs, int[] labels);

    /**
     * A single {@link Model} seen as a live network (handy in a probe's own tests): replica 0 of
     * a {@linkplain ReplicaGroup#sequential group} of that model alone.
     *
     * @param initial the parameters the model started from
     * @param probeSize the number of held-out samples
     * @param probeInputs the inputs of the given held-out rows
     */
    static LiveNetwork of(Model model, Parameters initial, int probeSize, Function<int[], FloatTensor> probeInputs) {
        return of(ReplicaGroup.sequential(List.of(model)), 0, initial, probeSize, probeInputs);
    }

    /**
     * One replica of a {@link ReplicaGroup} seen as a live network (what infodyn gives an
     * inspection; a run trained alone is a group of one).
     *
     * @param replica which replica, in {@code [0, group.size())}
     * @param initial the parameters the replica started from
     * @param probeSize the number of held-out samples
     * @param probeInputs the inputs of the given held-out rows
     */
    static LiveNetwork of(ReplicaGroup group, int replica, Parameters initial, int probeSize, Function<int[], FloatTensor> probeInputs) {
        return new LiveNetwork() {
            @Override
            public ModelSpec spec() {
                return group.spec();
            }

            @Override
            public Parameters parameters() {
                return group.parameters(replica);
            }

            @Override
            public Parameters initialParameters() {
                return initial;
            }

            @Override
            public int probeSize() {
                return probeSize;
            }

            @Override
            public FloatTensor probeInputs(int[] rows) {
                return probeInputs.apply(rows);
            }

            @Override
            public Map<String, FloatTensor> activations(FloatTensor x, List<String> layers) {
                return group.activations(List.of(new ReplicaGroup.ReplicaInputs(replica, x)), layers).get(0);
            }

            @Override
            public Parameters gradient(FloatTensor x, int[] labels) {
                return group.gradient(replica, x, labels);
            }
        };
    }
}
