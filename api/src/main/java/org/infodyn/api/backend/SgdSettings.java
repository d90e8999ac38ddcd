package org.infodyn.api.backend;

/**
 * Hyper-parameters of one SGD step, with PyTorch's {@code torch.optim.SGD} semantics (no
 * dampening, no Nesterov): {@code buf = momentum·buf + g + weightDecay·p; p −= lr·buf}.
 *
 * @param learningRate step size, &gt; 0
 * @param momentum in [0, 1)
 * @param weightDecay L2 coefficient added to the gradient, ≥ 0
 */
public record SgdSettings(double learningRate, double momentum, double weightDecay) {

    public SgdSettings {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be ≥ 0, got " + weightDecay);
        }
    }

    /** Plain SGD at the given learning rate. */
    public static SgdSettings plain(double learningRate) {
        return new SgdSettings(learningRate, 0, 0);
    }
}
