package org.infodyn.api.backend;

import java.util.List;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;

/**
 * A network built by a {@link Backend}: it trains one SGD step at a time, exposes the
 * activations of named layers and its parameters in the canonical layout. Holds native memory:
 * close it. Not thread-safe: one thread at a time.
 */
public interface Model extends AutoCloseable {

    /** The spec it was built from. */
    ModelSpec spec();

    /**
     * One SGD step on one batch, with the api's exact semantics:
     * <ol>
     *   <li>forward in training mode; {@code loss = mean_i −log softmax(logits_i)[y_i]} (nats);
     *   <li>{@code g = ∂loss/∂p + weightDecay · p} for every trainable parameter;
     *   <li>{@code buf = momentum · buf + g} (buffer starts at zero; see
     *       {@link #resetOptimizerState()}), or {@code buf = g} when momentum is 0;
     *   <li>{@code p ← p − lr · buf}.
     * </ol>
     *
     * @param inputs {@code [b, ...inputShape]}, read-only; the backend copies what it needs
     * @param labels {@code b} class indices in {@code [0, outputClasses)}
     * @param sgd learning rate, momentum, weight decay
     * @return the loss and number of correct predictions of the forward pass <em>before</em> the
     *     update (like PyTorch's {@code loss.item()}); the loss may be non-finite on divergence
     * @throws IllegalArgumentException when shapes do not match the spec
     */
    StepResult step(FloatTensor inputs, int[] labels, SgdSettings sgd);

    /** Sets every momentum buffer to zero, as a fresh {@code torch.optim.SGD} would. */
    void resetOptimizerState();

    /**
     * Activations of named layers in inference mode (no parameter or statistic changes).
     *
     * @param inputs {@code [n, ...inputShape]}; any n ≥ 1
     * @param layers names of layers of {@link #spec()}
     * @return per requested layer, a new {@code [n, ...layerShape]} tensor owned by the caller
     * @throws IllegalArgumentException for an unknown layer name or a wrong input shape
     */
    Map<String, FloatTensor> activations(FloatTensor inputs, List<String> layers);

    /**
     * The gradient of the mean cross-entropy {@code mean_i −log softmax(logits_i)[y_i]} (nats) of
     * a batch with respect to every trainable parameter, canonical layout, without weight decay.
     * The forward pass is in <em>inference</em> mode (batch-norm uses its running statistics, so
     * a batch of one sample is meaningful), and nothing changes: parameters, momentum buffers,
     * running statistics. For probes of the weights, e.g. the Fisher information.
     *
     * <p>Default: unsupported. A backend that implements it says so with
     * {@link Backend#computesGradients()}.
     *
     * @param inputs {@code [b, ...inputShape]}, read-only
     * @param labels {@code b} class indices in {@code [0, outputClasses)}
     * @return one tensor per trainable parameter, owned by the caller
     * @throws UnsupportedOperationException when the backend cannot
     * @throws IllegalArgumentException when shapes do not match the spec
     */
    default Parameters gradient(FloatTensor inputs, int[] labels) {
        throw new UnsupportedOperationException(getClass().getName() + " does not compute gradients without an update");
    }

    /**
     * The device this model computes on: the one {@link Backend#device} chose for its build
     * options. The default, for backends that run on the CPU only, is the host's CPU; a backend
     * with GPUs overrides it (the backend compatibility kit checks that a model asked onto a GPU
     * says it is there).
     */
    default DeviceInfo device() {
        return DeviceInfo.hostCpu();
    }

    /** Current parameters in the canonical layout, copied. */
    Parameters parameters();

    /**
     * Replaces every parameter (canonical layout; copied). Momentum buffers are kept; call
     * {@link #resetOptimizerState()} too when starting afresh.
     *
     * @throws IllegalArgumentException when names or shapes do not fit the spec
     */
    void setParameters(Parameters values);

    /** Frees native memory. Idempotent; the model is unusable afterwards. */
    @Override
    void close();
}
