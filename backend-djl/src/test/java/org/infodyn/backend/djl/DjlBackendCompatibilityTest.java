package org.infodyn.backend.djl;

import org.infodyn.api.backend.Backend;
import org.infodyn.testkit.BackendCompatibilityKit;

/** The DJL backend against the api's contract. */
class DjlBackendCompatibilityTest extends BackendCompatibilityKit {
    private static final DjlBackend BACKEND = new DjlBackend();

    @Override
    protected Backend backend() {
        return BACKEND;
    }
}
