/**
 * The Deeplearning4j backend: runs infodyn models on DL4J / ND4J 1.0.0-M2.1 (CPU, float32).
 * Class path only (no {@code module-info}: DL4J's jars carry broken module descriptors);
 * {@link org.infodyn.backend.dl4j.Dl4jBackend} (id {@code dl4j}) is registered in
 * {@code META-INF/services/org.infodyn.api.backend.Backend}.
 */
package org.infodyn.backend.dl4j;
