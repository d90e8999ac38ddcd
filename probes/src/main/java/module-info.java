/**
 * infodyn's built-in probes: {@code usable-information}, the usable information
 * {@code CE_null − CE_decoder} (bits) of a layer's representation about a discrete variable, with
 * a linear (multinomial logistic regression) or a one-hidden-layer MLP decoder.
 */
module org.infodyn.probes {
    requires org.infodyn.api;

    provides org.infodyn.api.probe.Probe with org.infodyn.probes.usable.UsableInformationProbe;
}
