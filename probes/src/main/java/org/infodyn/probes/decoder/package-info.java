/**
 * Decoder families and their numerics: feature standardisation ({@link
 * org.infodyn.probes.decoder.Standardizer}), the linear decoder (multinomial logistic
 * regression, {@link org.infodyn.probes.decoder.LinearDecoder}, fitted by Newton's method or
 * preconditioned {@link org.infodyn.probes.decoder.Lbfgs}), the one-hidden-layer {@link
 * org.infodyn.probes.decoder.MlpDecoder}, and the cross-entropy bookkeeping shared with the null
 * model ({@link org.infodyn.probes.decoder.LabelCounts}, {@link
 * org.infodyn.probes.decoder.CrossEntropy}). Everything here is single-threaded and stateful per
 * probe series; nothing is shared between series.
 */
package org.infodyn.probes.decoder;
