/**
 * The {@code usable-information} probe (DESIGN §5): its parameters, the fit/score splits and the
 * per-(layer, variable) series that turns frozen representations into
 * {@code bits = CE_null − CE_decoder}.
 */
package org.infodyn.probes.usable;
