package org.infodyn.api.probe;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.infodyn.api.backend.Model;
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

    /** The inputs of the held-out probe split, {@code [n, ...inputShape]}, read-only. */
    FloatTensor probeInputs();

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
     * A single {@link Model} seen as a live network (what infodyn gives an inspection of a run
     * trained without replica groups; handy in a probe's own tests).
     *
     * @param initial the parameters the model started from
     * @param probeInputs the held-out inputs, asked for only when an inspection wants them
     */
    static LiveNetwork of(Model model, Parameters initial, Supplier<FloatTensor> probeInputs) {
        return new LiveNetwork() {
            private FloatTensor inputs;

            @Override
            public ModelSpec spec() {
                return model.spec();
            }

            @Override
            public Parameters parameters() {
                return model.parameters();
            }

            @Override
            public Parameters initialParameters() {
                return initial;
            }

            @Override
            public FloatTensor probeInputs() {
                if (inputs == null) {
                    inputs = probeInputs.get();
                }
                return inputs;
            }

            @Override
            public Map<String, FloatTensor> activations(FloatTensor x, List<String> layers) {
                return model.activations(x, layers);
            }

            @Override
            public Parameters gradient(FloatTensor x, int[] labels) {
                return model.gradient(x, labels);
            }
        };
    }
}
