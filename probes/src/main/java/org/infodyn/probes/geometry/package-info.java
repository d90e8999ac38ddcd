/**
 * Probes of a representation's geometry, which need no variable: {@code cka} (linear centred
 * kernel alignment over time and between layers) and {@code dimensionality} (participation ratio
 * and principal components of the covariance spectrum), with the centred Gram matrix and a
 * symmetric eigenvalue solver they share.
 */
package org.infodyn.probes.geometry;
