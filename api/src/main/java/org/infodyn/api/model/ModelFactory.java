package org.infodyn.api.model;

import java.util.List;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;

/**
 * Makes a {@link ModelSpec} from the {@code model} block of an experiment (e.g. {@code {id: mlp,
 * hidden: [100, 100, 2]}}). A service: built-ins live in {@code api}; third parties may add
 * architectures the same way as the other plugins (both registration styles).
 *
 * <p>Implementations must be cheap to construct and stateless.
 */
public interface ModelFactory {

    /** Stable id used in experiment files, e.g. {@code mlp}. */
    String id();

    /** One line for listings. */
    String description();

    /** The parameters of the {@code model} block (besides {@code id}). */
    List<ParamSpec> parameters();

    /**
     * Builds the network.
     *
     * @param params the bound {@code model} block
     * @param inputShape the task's per-sample input shape (channels first)
     * @param outputClasses number of classes of the training target (size of the logits)
     * @return a spec whose probe-able layer names are documented by {@link #description()}
     * @throws org.infodyn.api.config.ConfigException when the parameters do not fit the input
     */
    ModelSpec create(Params params, int[] inputShape, int outputClasses);
}
