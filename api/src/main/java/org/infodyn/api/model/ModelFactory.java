package org.infodyn.api.model;

import java.util.Arrays;
import java.util.List;

import org.infodyn.api.config.ConfigException;
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
     * @throws ConfigException when the parameters do not fit the input (a layer whose shape
     *     check fails, an {@link IllegalArgumentException} from {@link ModelSpec}, is reported by
     *     the caller as the model not fitting the task's inputs)
     */
    ModelSpec create(Params params, int[] inputShape, int outputClasses);

    /**
     * For factories of convolutional models: refuses a task whose samples are not images.
     *
     * @param modelId the factory's id, for the message
     * @param inputShape the task's per-sample input shape
     * @throws ConfigException on {@code model.id} unless the shape is {@code [channels, height, width]}
     */
    static void requireImageInput(String modelId, int[] inputShape) {
        if (inputShape.length != 3) {
            throw new ConfigException("model.id", modelId + " needs image inputs [channels, height, width], the task gives "
                    + Arrays.toString(inputShape) + "; use the mlp model, or an image encoding of the task");
        }
    }
}
