package org.infodyn.backend.dl4j;

import org.infodyn.api.backend.Backend;
import org.infodyn.testkit.BackendCompatibilityKit;

/** The DL4J backend against the api's contract. */
class Dl4jBackendCompatibilityTest extends BackendCompatibilityKit {
    private static final Dl4jBackend BACKEND = new Dl4jBackend();

    @Override
    protected Backend backend() {
        return BACKEND;
    }

    /**
     * DL4J and ND4J are large, and C2 keeps compiling their paths for thousands of steps; the
     * memory its compilations borrow from the C allocator raises resident memory in steps of
     * 5–15 MiB. That memory is the JVM's, not the backend's: with C2 disabled
     * ({@code -XX:TieredStopAtLevel=1}) resident memory stays flat to the MiB over 2,000 cycles.
     * A longer warm-up lets the compiler settle before the check measures.
     */
    @Override
    protected int leakCheckWarmUpCycles() {
        return 700;
    }
}
