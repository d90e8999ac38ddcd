package org.infodyn.api.backend;

import java.util.List;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;

/**
 * R networks of one architecture ("replicas") that train together: what {@link Backend#buildReplicas}
 * returns. Each replica has its own parameters, momentum buffers, batches and SGD settings; only the
 * shapes are shared, so a backend may run all of them as one batched computation (stacked
 * parameters {@code [R, …]}, batched matrix products, one graph run), which costs little more than
 * one small network: the reason to group the seeds of a sweep.
 *
 * <p>Semantics per replica are exactly {@link Model}'s: a replica stepped here ends where a
 * {@link Model} built from the same parameters and given the same batches would, up to the
 * reassociation of float sums. A replica left out of a call does not change at all: this is how a
 * run that diverged stops while its group-mates go on. Holds native memory: close it. Not
 * thread-safe.
 */
public interface ReplicaGroup extends AutoCloseable {

    /** The architecture every replica has. */
    ModelSpec spec();

    /** The number of replicas, R. */
    int size();

    /**
     * One batch for one replica.
     *
     * @param replica which replica, in {@code [0, size())}
     * @param inputs {@code [b, ...inputShape]}, read-only
     * @param labels b class indices
     * @param sgd this replica's learning rate, momentum and weight decay for the step
     */
    record ReplicaBatch(int replica, FloatTensor inputs, int[] labels, SgdSettings sgd) {
    }

    /**
     * One replica's inputs for {@link #activations}.
     *
     * @param replica which replica
     * @param inputs {@code [n, ...inputShape]}, read-only
     */
    record ReplicaInputs(int replica, FloatTensor inputs) {
    }

    /**
     * One SGD step for each replica named in {@code batches}, with {@link Model#step}'s
     * semantics; replicas not named do not change (parameters and momentum buffers alike).
     *
     * @param batches at most one per replica, all with the same number of samples
     * @return one result per batch, in the same order: loss and correct predictions of the forward
     *     pass before the update (a loss may be non-finite)
     * @throws IllegalArgumentException for a replica out of range or named twice, batches of
     *     different sizes, or wrong shapes or labels
     */
    List<StepResult> step(List<ReplicaBatch> batches);

    /** Sets every replica's momentum buffers to zero. */
    void resetOptimizerState();

    /**
     * Activations of named layers in inference mode, for each replica named.
     *
     * @param inputs at most one per replica, all with the same number of samples
     * @param layers names of layers of {@link #spec()}
     * @return per entry of {@code inputs}, in order, a map like {@link Model#activations}'s
     */
    List<Map<String, FloatTensor>> activations(List<ReplicaInputs> inputs, List<String> layers);

    /**
     * One replica's loss gradient, as {@link Model#gradient} defines it (inference mode, nothing
     * changes). Default: unsupported; infodyn trains runs whose probes need gradients as single
     * models, so only a group of one ({@link #sequential}) is asked.
     *
     * @throws UnsupportedOperationException when the group cannot
     */
    default Parameters gradient(int replica, FloatTensor inputs, int[] labels) {
        throw new UnsupportedOperationException(getClass().getName() + " does not compute gradients without an update");
    }

    /** One replica's parameters in the canonical layout, copied. */
    Parameters parameters(int replica);

    /** Replaces one replica's parameters (canonical layout; copied); its momentum buffers are kept. */
    void setParameters(int replica, Parameters values);

    /** Frees native memory. Idempotent. */
    @Override
    void close();

    /**
     * The portable group: R independent {@link Model}s stepped one after another. What every
     * backend gets by default; it owns the models and closes them.
     */
    static ReplicaGroup sequential(List<Model> models) {
        return new SequentialReplicas(models);
    }
}
