package org.infodyn.backend.djl;

import java.nio.file.Path;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

import org.infodyn.api.backend.BackendUnavailableException;
import org.infodyn.api.backend.NativeCache;

/**
 * Loads DJL's PyTorch engine once per JVM, after switching DJL to offline mode. Everything that
 * touches DJL goes through here first, so no code path can reach DJL before the switches are set.
 */
final class DjlRuntime {
    static final String ENGINE = "PyTorch";

    private static volatile Engine engine;
    private static volatile int threads = -1;

    private DjlRuntime() {
    }

    /**
     * Sets DJL's system properties unless the user set them: offline (no downloads, no
     * telemetry: without it DJL calls the EC2 metadata address on start), telemetry opt-out,
     * the native cache folder, one inter-op thread.
     */
    static void configure() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        if (System.getenv("ENGINE_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            setIfAbsent("ENGINE_CACHE_DIR", cacheDir().toString());
            setIfAbsent("DJL_CACHE_DIR", cacheDir().toString());
        }
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Where the PyTorch natives are unpacked. */
    static Path cacheDir() {
        String env = System.getenv("ENGINE_CACHE_DIR");
        if (env != null) {
            return Path.of(env);
        }
        String prop = System.getProperty("ENGINE_CACHE_DIR");
        return prop != null ? Path.of(prop) : NativeCache.forBackend("djl");
    }

    /** The PyTorch engine, loaded on first use. */
    static Engine engine() {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (DjlRuntime.class) {
            if (engine == null) {
                configure();
                try {
                    engine = Engine.getEngine(ENGINE);
                } catch (RuntimeException | LinkageError ex) {
                    throw new BackendUnavailableException("DJL could not load its PyTorch engine on " + System.getProperty("os.name")
                            + "/" + System.getProperty("os.arch") + ": " + rootMessage(ex) + ". The djl backend needs "
                            + "ai.djl.pytorch:pytorch-engine:0.36.0, ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 and "
                            + "ai.djl.pytorch:pytorch-native-cpu:2.7.1 (classifier linux-x86_64) on the class path; "
                            + "the natives unpack to " + cacheDir(), ex);
                }
            }
            return engine;
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + c.getMessage() + ")";
    }

    /** The device for an options value: cpu, gpu or auto. */
    static Device device(String option) {
        Engine e = engine();
        int gpus = e.getGpuCount();
        switch (option) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new BackendUnavailableException("device gpu was requested but PyTorch sees no GPU; this build ships "
                            + "the CPU native library (pytorch-native-cpu). Use device: cpu or auto");
                }
                return Device.gpu();
            default:
                return gpus > 0 ? Device.gpu() : Device.cpu();
        }
    }

    /** Sets PyTorch's intra-op thread count (process-wide: the last model built decides). */
    static void threads(int n) {
        engine();
        if (threads != n) {
            synchronized (DjlRuntime.class) {
                JniUtils.setNumThreads(n);
                threads = n;
            }
        }
    }

    /**
     * Turns autograd recording on or off on the calling thread. PyTorch's grad mode is
     * thread-local and on by default in a new thread; DJL switches it off only on the thread
     * that loaded the engine.
     */
    static void grad(boolean enabled) {
        JniUtils.setGradMode(enabled);
    }

    /** Back-propagates from a scalar {@code loss} (seeded with {@code ones}), freeing the graph. */
    static void backward(ai.djl.ndarray.NDArray loss, ai.djl.ndarray.NDArray ones) {
        JniUtils.backward((ai.djl.pytorch.engine.PtNDArray) loss, (ai.djl.pytorch.engine.PtNDArray) ones, false, false);
    }
}
