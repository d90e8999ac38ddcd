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

    /** The folder for one backend (not created). */
    public static Path forBackend(String backendId) {
        return base().resolve(backendId);
    }
}
