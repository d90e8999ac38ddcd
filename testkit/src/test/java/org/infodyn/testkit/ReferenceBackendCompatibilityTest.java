package org.infodyn.testkit;

import org.infodyn.api.backend.Backend;

/** The kit on its own oracle: a consistency check of the kit and the reference backend. */
class ReferenceBackendCompatibilityTest extends BackendCompatibilityKit {
    @Override
    protected Backend backend() {
        return new ReferenceBackend();
    }

    @Override
    protected boolean holdsNativeMemory() {
        return false; // plain Java: nothing outside the heap
    }

    @Override
    protected boolean registeredAsPlugin() {
        return false; // an oracle for tests, deliberately not a backend infodyn finds
    }
}
