package org.infodyn.api.backend;

import java.nio.file.Path;

/**
 * Where backends unpack their native libraries (hundreds of MB each, unpacked once). The base
 * folder is, in order: the system property {@code infodyn.cache.dir}, the environment variable
 * {@code INFODYN_CACHE_DIR}, {@code $XDG_CACHE_HOME/infodyn}, {@code ~/.cache/infodyn}. Each
 * backend gets a sub-folder named by its id.
 */
public final class NativeCache {
    /** System property naming the base folder. */
    public static final String PROPERTY = "infodyn.cache.dir";
    /** Environment variable naming the base folder. */
    public static final String ENV = "INFODYN_CACHE_DIR";

    private NativeCache() {
    }

    /** The base folder (not created). */
    public static Path base() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "infodyn");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "infodyn");
    }

    /**
     * The folder JavaCPP unpacks into. One for every backend built on JavaCPP (TensorFlow,
     * ND4J): JavaCPP reads its cache property once per JVM, so per-backend folders would depend
     * on which backend loaded first.
     */
    public static Path javacpp() {
        return base().resolve("javacpp");
    }

    /** JavaCPP's two spellings of its cache-folder property. */
    private static final String[] JAVACPP_CACHE = {"org.bytedeco.javacpp.cachedir", "org.bytedeco.javacpp.cacheDir"};
    /** JavaCPP's two spellings of its physical-memory limit. */
    private static final String[] JAVACPP_MAX_PHYSICAL = {"org.bytedeco.javacpp.maxPhysicalBytes", "org.bytedeco.javacpp.maxphysicalbytes"};

    /**
     * JavaCPP's defaults for infodyn, set before a JavaCPP-based backend loads (a user's own
     * settings win): the shared unpack folder {@link #javacpp()}, and {@code maxPhysicalBytes=0},
     * without which JavaCPP measures the process's resident memory on every native allocation —
     * measured here as half of the time of a small ND4J training step, and TensorFlow allocates
     * through JavaCPP on every run too.
     */
    public static synchronized void configureJavaCpp() {
        setIfAbsent(JAVACPP_CACHE, javacpp().toString());
        setIfAbsent(JAVACPP_MAX_PHYSICAL, "0");
    }

    /** The JavaCPP unpack folder in effect (the property, in either spelling). */
    public static String javacppInEffect() {
        for (String key : JAVACPP_CACHE) {
            if (System.getProperty(key) != null) {
                return System.getProperty(key);
            }
        }
        return javacpp().toString();
    }

    private static void setIfAbsent(String[] spellings, String value) {
        for (String key : spellings) {
            if (System.getProperty(key) != null) {
                return;
            }
        }
        System.setProperty(spellings[0], value);
    }

    /** The folder for one backend (not created). */
    public static Path forBackend(String backendId) {
        return base().resolve(backendId);
    }
}
