package org.example.infodyn.tinybackend;

import org.infodyn.api.backend.Backend;
import org.infodyn.testkit.BackendCompatibilityKit;

/** The backend kit: forward, SGD with momentum and weight decay, replicas, errors, against the reference. */
class TinyJavaBackendCompatibilityTest extends BackendCompatibilityKit {
    @Override
    protected Backend backend() {
        return new TinyJavaBackend();
    }

    @Override
    protected boolean holdsNativeMemory() {
        return false; // plain Java: the garbage collector owns its memory
    }
}
