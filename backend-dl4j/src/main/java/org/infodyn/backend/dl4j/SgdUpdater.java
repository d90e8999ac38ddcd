package org.infodyn.backend.dl4j;

import org.infodyn.api.backend.SgdSettings;
import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The api's SGD update, applied to DL4J's flat parameter vector from its flat gradient vector:
 * {@code g += wd·p; buf = m·buf + g; p −= lr·buf} (PyTorch's {@code torch.optim.SGD} without
 * dampening or Nesterov). DL4J's own updaters are not used: its momentum updater
 * ({@code Nesterovs}) is Nesterov momentum, and its weight decay and L2 regularisation enter the
 * update at other points than the api's. Here the whole network is updated with one to four
 * operations on whole vectors (BLAS {@code axpy} and a scaling), whatever the number of layers.
 *
 * <p>The momentum buffer has the flat layout of the parameters; it is allocated on the first step
 * with momentum and starts at zero, so the first step stores {@code buf = g} as PyTorch does.
 *
 * <p>Parameters that are not trainable (batch-norm running statistics) share the flat vector.
 * Their gradient entries are always zero, so momentum and the step leave them exactly as they are
 * ({@code p − lr·0 = p}); only weight decay would move them, so for a network that has any, the
 * decay term is multiplied by a 0/1 mask of the trainable entries first (one extra operation, and
 * none for networks without such parameters, such as every MLP).
 */
final class SgdUpdater implements AutoCloseable {
    private final INDArray params;
    private final INDArray gradients;
    private final INDArray trainable;
    private INDArray decayed;
    private INDArray momentum;

    /**
     * @param params the network's flat parameter vector (updated in place)
     * @param gradients the network's flat gradient vector (weight decay is added in place)
     * @param trainable 1 for each trainable entry of the flat vector, 0 for the others; null when
     *     all are trainable. Copied.
     */
    SgdUpdater(INDArray params, INDArray gradients, float[] trainable) {
        this.params = params;
        this.gradients = gradients;
        if (trainable == null) {
            this.trainable = null;
        } else {
            this.trainable = Matrices.detached(trainable.length);
            Matrices.write(this.trainable, trainable);
        }
    }

    /** Applies one update from the gradients currently held. */
    void apply(SgdSettings sgd) {
        long n = params.length();
        if (n == 0) {
            return;
        }
        Level1 blas = Nd4j.getBlasWrapper().level1();
        if (sgd.weightDecay() != 0) {
            INDArray decay = params;
            if (trainable != null) {
                if (decayed == null) {
                    decayed = Matrices.detached(n);
                }
                decay = params.mul(trainable, decayed);
            }
            blas.axpy(n, sgd.weightDecay(), decay, gradients);
        }
        INDArray step = gradients;
        if (sgd.momentum() != 0) {
            if (momentum == null) {
                momentum = Matrices.detached(n).assign(0);
            }
            momentum.muli(sgd.momentum());
            blas.axpy(n, 1.0, gradients, momentum);
            step = momentum;
        }
        blas.axpy(n, -sgd.learningRate(), step, params);
    }

    /** Forgets the momentum buffer (it restarts at zero). */
    void reset() {
        if (momentum != null) {
            momentum.close();
            momentum = null;
        }
    }

    /** Frees the native buffers; the updater is unusable afterwards. */
    @Override
    public void close() {
        reset();
        if (decayed != null) {
            decayed.close();
            decayed = null;
        }
        if (trainable != null) {
            trainable.close();
        }
    }
}
