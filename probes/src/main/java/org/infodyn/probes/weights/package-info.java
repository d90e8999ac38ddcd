/**
 * Probes of the weights, which read the live network through a
 * {@link org.infodyn.api.probe.NetworkInspection} rather than a layer's activations:
 * {@code weights} (norms and distance from initialisation) and {@code fisher} (the trace of the
 * Fisher information, from gradients with labels sampled from the network).
 */
package org.infodyn.probes.weights;
