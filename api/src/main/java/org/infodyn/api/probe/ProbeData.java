package org.infodyn.api.probe;

import java.util.Map;
import java.util.Optional;

import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.data.FloatTensor;

/**
 * What a probe sees at one probe point.
 *
 * @param step the global training step (0 = before training)
 * @param classes number of classes K of the variable (1, with every label 0, for a probe that
 *     {@linkplain Probe#measuresVariables() measures no variable})
 * @param fit representations of the fixed subset of the network's train split (empty when the
 *     probe asked for {@link ConfiguredProbe#fitSamples() no fit samples})
 * @param heldOut representations of the whole probe split, held out from network training
 *     (no columns for a probe that {@linkplain Probe#readsActivations() reads no activations})
 * @param companions per {@linkplain ConfiguredProbe#companionLayers() companion layer}, its
 *     activations {@code [n, d]} on the same held-out samples as {@code heldOut}, read-only
 * @param network what the probe's {@linkplain ConfiguredProbe#inspection() inspection} found in
 *     the live network at this point ({@link NetworkFacts#EMPTY} without one)
 * @param algebra float64 matrix work on the training backend's device, for a probe that
 *     {@linkplain ConfiguredProbe#deviceAlgebraSetting() asked for it} (empty otherwise)
 */
public record ProbeData(long step, int classes, LabelledFeatures fit, LabelledFeatures heldOut,
        Map<String, FloatTensor> companions, NetworkFacts network, Optional<DeviceAlgebra> algebra) {
    public ProbeData {
        companions = Map.copyOf(companions);
        java.util.Objects.requireNonNull(algebra, "algebra (Optional.empty() for none)");
    }

    /** A point without device algebra. */
    public ProbeData(long step, int classes, LabelledFeatures fit, LabelledFeatures heldOut,
            Map<String, FloatTensor> companions, NetworkFacts network) {
        this(step, classes, fit, heldOut, companions, network, Optional.empty());
    }

    /** A point with activations only (no companion layers, no inspection). */
    public ProbeData(long step, int classes, LabelledFeatures fit, LabelledFeatures heldOut) {
        this(step, classes, fit, heldOut, Map.of(), NetworkFacts.EMPTY);
    }
}
