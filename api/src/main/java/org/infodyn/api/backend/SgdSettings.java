package org.infodyn.api.backend;

import java.util.Optional;

import org.infodyn.api.config.Params;

/**
 * Hyper-parameters of one SGD step, with PyTorch's {@code torch.optim.SGD} semantics (no
 * dampening, no Nesterov): {@code buf = momentum·buf + g + weightDecay·p; p −= lr·buf}.
 *
 * @param learningRate step size, &gt; 0 and finite
 * @param momentum in [0, 1)
 * @param weightDecay L2 coefficient added to the gradient, ≥ 0 and finite
 */
public record SgdSettings(double learningRate, double momentum, double weightDecay) {

    /**
     * What is wrong with one of the settings.
     *
     * @param field the field's name in an experiment's phase: {@code lr}, {@code momentum} or {@code weightDecay}
     * @param message what is allowed and what was given, e.g. {@code must be > 0, got 0}
     */
    public record Problem(String field, String message) {
    }

    public SgdSettings {
        problem(learningRate, momentum, weightDecay).ifPresent(p -> {
            throw new IllegalArgumentException(p.field() + " " + p.message());
        });
    }

    /** The first problem with these values, if any: the one place the allowed ranges are written. */
    public static Optional<Problem> problem(double learningRate, double momentum, double weightDecay) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            return Optional.of(new Problem("lr", "must be > 0 and finite, got " + Params.format(learningRate)));
        }
        if (!(momentum >= 0 && momentum < 1)) {
            return Optional.of(new Problem("momentum", "must be in [0, 1), got " + Params.format(momentum)));
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            return Optional.of(new Problem("weightDecay", "must be ≥ 0 and finite, got " + Params.format(weightDecay)));
        }
        return Optional.empty();
    }

    /** Plain SGD at the given learning rate. */
    public static SgdSettings plain(double learningRate) {
        return new SgdSettings(learningRate, 0, 0);
    }
}
