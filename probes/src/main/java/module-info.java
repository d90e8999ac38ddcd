/**
 * infodyn's built-in probes: {@code usable-information}, the usable information
 * {@code CE_null − CE_decoder} (bits) of a layer's representation about a discrete variable, with
 * a linear (multinomial logistic regression) or an MLP decoder; {@code cka} and
 * {@code dimensionality} of a representation's geometry; {@code weights} and {@code fisher} of the
 * network's parameters.
 */
module org.infodyn.probes {
    requires org.infodyn.api;

    provides org.infodyn.api.probe.Probe with org.infodyn.probes.usable.UsableInformationProbe,
            org.infodyn.probes.geometry.CkaProbe,
            org.infodyn.probes.geometry.DimensionalityProbe,
            org.infodyn.probes.weights.WeightsProbe,
            org.infodyn.probes.weights.FisherProbe;
}
