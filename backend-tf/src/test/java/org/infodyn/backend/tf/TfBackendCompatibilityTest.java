package org.infodyn.backend.tf;

import org.infodyn.api.backend.Backend;
import org.infodyn.testkit.BackendCompatibilityKit;

/** The TensorFlow backend against the api's contract. */
class TfBackendCompatibilityTest extends BackendCompatibilityKit {
    private static final TfBackend BACKEND = new TfBackend();

    @Override
    protected Backend backend() {
        return BACKEND;
    }
}
