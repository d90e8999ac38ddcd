package org.infodyn.api.probe;

/**
 * What a probe sees at one probe point.
 *
 * @param step the global training step (0 = before training)
 * @param classes number of classes K of the variable
 * @param fit representations of the fixed subset of the network's train split (empty when the
 *     probe asked for {@link ConfiguredProbe#fitSamples() no fit samples})
 * @param heldOut representations of the whole probe split, held out from network training
 */
public record ProbeData(long step, int classes, LabelledFeatures fit, LabelledFeatures heldOut) {
}
