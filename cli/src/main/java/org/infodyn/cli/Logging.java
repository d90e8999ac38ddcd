package org.infodyn.cli;

/**
 * Quiet logging by default: the backends' libraries log through SLF4J (slf4j-simple, to stderr);
 * infodyn shows warnings only, and hides a known-harmless warning of DJL on machines with a CUDA
 * toolkit but no GPU ({@link NativeStderr} hides the libraries that print to stderr themselves).
 * {@code --verbose} shows INFO. A user's own settings win.
 */
final class Logging {
    private Logging() {
    }

    static void configure(boolean verbose) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", verbose ? "info" : "error");
        // the GPU build's PyTorch (CUDA) "doesn't match" a machine without a CUDA toolkit: infodyn loads it anyway, on purpose
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.Platform", verbose ? "info" : "error");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "false");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
