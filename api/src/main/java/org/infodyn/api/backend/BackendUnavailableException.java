package org.infodyn.api.backend;

/**
 * A backend cannot run here: its native library failed to load (missing jar, wrong platform) or
 * the requested device does not exist. The message says what is missing and how to fix it; the
 * other backends are unaffected.
 */
public class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public BackendUnavailableException(String message) {
        super(message);
    }
}
