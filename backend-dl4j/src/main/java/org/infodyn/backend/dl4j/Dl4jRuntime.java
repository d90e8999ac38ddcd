package org.infodyn.backend.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.infodyn.api.backend.BackendUnavailableException;
import org.infodyn.api.backend.NativeCache;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Loads ND4J's native CPU backend once per JVM, after setting the process-wide switches that must
 * be in place before ND4J and JavaCPP initialise. A failure is remembered, so every later use
 * reports the same clear message (a failed class initialiser would otherwise surface as bare
 * {@code NoClassDefFoundError}s).
 *
 * <p>The switches, each set only when the user has not set it already:
 * <ul>
 *   <li>{@code org.bytedeco.javacpp.cachedir}: JavaCPP's unpack folder. JavaCPP reads it once per JVM and
 *       shares it between every JavaCPP user (the tf backend too), so it points at one folder
 *       for all of them, {@code <infodyn cache>/javacpp}, instead of a per-backend one that would
 *       end up holding whichever backend happened to load first.
 *   <li>{@code org.bytedeco.javacpp.maxPhysicalBytes=0}: without it JavaCPP measures the process's
 *       resident memory on every native allocation; ND4J makes several per operation, and the
 *       measurement alone cost about half of a training step here. JavaCPP's limit on the bytes
 *       it tracks itself ({@code maxBytes}) still applies.
 *   <li>{@code shapeinfoprovider}: {@link CachingShapeInfoProvider}, which restores ND4J's
 *       cache of array shape descriptors (see there).
 * </ul>
 */
final class Dl4jRuntime {
    /** The artifact that carries the native library, named in error messages. */
    static final String NATIVE_ARTIFACT = "org.nd4j:nd4j-native:1.0.0-M2.1:linux-x86_64-onednn";
    /** The OpenBLAS natives ND4J links against, named in error messages. */
    static final String OPENBLAS_ARTIFACT = "org.bytedeco:openblas:0.3.19-1.5.7:linux-x86_64";
    /** JavaCPP's unpack folder (JavaCPP accepts both spellings of its properties). */
    static final String[] CACHE_PROPERTY = {"org.bytedeco.javacpp.cachedir", "org.bytedeco.javacpp.cacheDir"};
    static final String[] PHYSICAL_BYTES_PROPERTY = {"org.bytedeco.javacpp.maxPhysicalBytes", "org.bytedeco.javacpp.maxphysicalbytes"};
    static final String[] SHAPE_INFO_PROPERTY = {"shapeinfoprovider"};

    private static volatile Info info;
    private static volatile BackendUnavailableException failure;
    private static int threads = -1;

    private Dl4jRuntime() {
    }

    /**
     * What {@link Dl4jBackend#describe()} reports once the natives are loaded.
     *
     * @param shapeCache whether {@link CachingShapeInfoProvider} is in use (not when ND4J was
     *     initialised by someone else first, or the user chose another provider)
     * @param maxPhysicalBytes JavaCPP's {@code maxPhysicalBytes} setting
     * @param oneDnn whether the loaded libnd4j was built with oneDNN (its convolutions then run
     *     oneDNN's kernels: {@link #NATIVE_ARTIFACT} is that build)
     */
    record Info(String dl4jVersion, String nd4jVersion, String blas, String nativeCache, boolean shapeCache,
            String maxPhysicalBytes, boolean oneDnn) {
    }

    /** The folder JavaCPP unpacks into when the user has not chosen one. */
    static String defaultCacheDir() {
        return NativeCache.javacpp().toString();
    }

    /** Loads the natives (first call) and returns versions and settings. */
    static Info load() {
        Info i = info;
        if (i != null) {
            return i;
        }
        synchronized (Dl4jRuntime.class) {
            if (failure != null) {
                throw failure;
            }
            if (info == null) {
                NativeCache.configureJavaCpp();
                setIfAbsent(SHAPE_INFO_PROPERTY, CachingShapeInfoProvider.class.getName());
                try {
                    Nd4j.getBackend();
                    info = new Info(artifactVersion("org.deeplearning4j", "deeplearning4j-nn"),
                            artifactVersion("org.nd4j", "nd4j-api"), blas(), cacheDir(),
                            Nd4j.getShapeInfoProvider() instanceof CachingShapeInfoProvider,
                            property(PHYSICAL_BYTES_PROPERTY),
                            NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN"));
                } catch (LinkageError | RuntimeException e) {
                    failure = new BackendUnavailableException("ND4J's native library could not be loaded on "
                            + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " (" + rootCause(e)
                            + "). The dl4j backend needs " + NATIVE_ARTIFACT + " and " + OPENBLAS_ARTIFACT
                            + " on the class path (this build ships the linux-x86_64 natives); natives unpack to "
                            + property(CACHE_PROPERTY), e);
                    throw failure;
                }
            }
            return info;
        }
    }

    /**
     * Sets the intra-op thread count of ND4J's own kernels and of OpenBLAS. Process-wide: both
     * libraries have one setting per process, so the last model built decides for all.
     */
    static synchronized void threads(int n) {
        load();
        if (threads != n) {
            Nd4j.getEnvironment().setMaxMasterThreads(n);
            Nd4j.getEnvironment().setMaxThreads(n);
            Nd4j.factory().blas().setMaxThreads(n);
            threads = n;
        }
    }

    /** The value of the first of the spellings that is set, or null. */
    static String property(String[] spellings) {
        for (String key : spellings) {
            String value = System.getProperty(key);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** Sets a property unless the user has set it in any spelling. */
    private static void setIfAbsent(String[] spellings, String value) {
        if (property(spellings) == null) {
            System.setProperty(spellings[0], value);
        }
    }

    private static String blas() {
        var env = Nd4j.getEnvironment();
        return Nd4j.factory().blas().getBlasVendor() + " " + env.blasMajorVersion() + "." + env.blasMinorVersion() + "."
                + env.blasPatchVersion();
    }

    /** JavaCPP's effective unpack folder: whoever loaded JavaCPP first in this JVM chose it. */
    private static String cacheDir() {
        try {
            return org.bytedeco.javacpp.Loader.getCacheDir().toString();
        } catch (IOException e) {
            return property(CACHE_PROPERTY);
        }
    }

    /** The version from a jar's Maven metadata (DL4J's manifests carry none). */
    private static String artifactVersion(String group, String artifact) {
        String path = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Nd4j.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c == t ? String.valueOf(t) : t + ", caused by " + c;
    }
}
