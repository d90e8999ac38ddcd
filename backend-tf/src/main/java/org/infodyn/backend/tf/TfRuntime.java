package org.infodyn.backend.tf;

import org.infodyn.api.backend.BackendUnavailableException;
import org.infodyn.api.backend.NativeCache;

/**
 * Loads TensorFlow's native library once per JVM, after setting infodyn's JavaCPP defaults (the
 * shared unpack folder, no per-allocation memory accounting). A failure is remembered, so every later use reports the same clear message
 * (a failed class initialiser would otherwise turn into bare {@code NoClassDefFoundError}s).
 */
final class TfRuntime {
    /** The artifact that carries the native library, named in error messages. */
    static final String NATIVE_ARTIFACT = "org.tensorflow:tensorflow-core-native:1.1.0 (classifier linux-x86_64)";

    private static volatile String version;
    private static volatile BackendUnavailableException failure;

    private TfRuntime() {
    }

    /** Where the natives are unpacked (shared with the other JavaCPP-based backends). */
    static String cacheDir() {
        return NativeCache.javacppInEffect();
    }

    /** Loads the natives (first call) and returns TensorFlow's version. */
    static String load() {
        if (version != null) {
            return version;
        }
        synchronized (TfRuntime.class) {
            if (failure != null) {
                throw failure;
            }
            if (version == null) {
                NativeCache.configureJavaCpp();
                try {
                    TfDevices.preloadCuda();
                    version = org.tensorflow.TensorFlow.version();
                } catch (LinkageError | RuntimeException e) {
                    failure = new BackendUnavailableException("TensorFlow's native library could not be loaded on "
                            + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " (" + e + "). The tf backend needs "
                            + NATIVE_ARTIFACT + " on the class path; natives unpack to " + cacheDir()
                            + ". Set TF_CPP_MIN_LOG_LEVEL=0 for TensorFlow's own diagnostics.", e);
                    throw failure;
                }
            }
            return version;
        }
    }
}
