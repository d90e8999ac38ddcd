package org.infodyn.backend.djl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.cuda.CudaUtils;

import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.BackendUnavailableException;
import org.infodyn.api.backend.DeviceInfo;
import org.infodyn.api.backend.Gpus;
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
        // The GPU build's PyTorch loads from infodyn's own unpacking (BundledLibTorch says why).
        BundledLibTorch.onClassPath().filter(BundledLibTorch.Build::isCuda)
                .filter(b -> System.getenv("PYTORCH_LIBRARY_PATH") == null && System.getProperty("PYTORCH_LIBRARY_PATH") == null)
                .ifPresent(b -> {
                    Path libs = BundledLibTorch.unpack(b, cacheDir());
                    if (!Gpus.driverPresent()) {
                        libs = BundledLibTorch.withoutDriver(libs);
                    } else if (BundledLibTorch.loadSharedCudnn()) {
                        libs = BundledLibTorch.withSharedCudnn(libs);
                    }
                    setIfAbsent("PYTORCH_LIBRARY_PATH", libs.toString());
                    setIfAbsent("PYTORCH_VERSION", b.version());
                    setIfAbsent("PYTORCH_FLAVOR", b.flavor());
                });
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
                try {
                    configure();
                    engine = Engine.getEngine(ENGINE);
                } catch (RuntimeException | LinkageError ex) {
                    throw new BackendUnavailableException("DJL could not load its PyTorch engine on " + System.getProperty("os.name")
                            + "/" + System.getProperty("os.arch") + ": " + rootMessage(ex) + ". The djl backend needs "
                            + "ai.djl.pytorch:pytorch-engine, ai.djl.pytorch:pytorch-jni and ai.djl.pytorch:pytorch-native-cpu "
                            + "(classifier linux-x86_64) of matching versions on the class path (this build: DJL 0.36.0, PyTorch 2.7.1; "
                            + "the GPU build: DJL 0.33.0, pytorch-native-cu124 2.5.1); the natives unpack to " + cacheDir(), ex);
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

    /**
     * The devices PyTorch can run on here: the CPU, then the GPUs when this is a CUDA build of
     * PyTorch (DJL's GPU count, or the driver's when DJL's JNA probe finds no CUDA runtime of its
     * own: PyTorch brings one).
     */
    static List<DeviceInfo> devices() {
        Engine e = engine();
        List<DeviceInfo> out = new ArrayList<>();
        out.add(DeviceInfo.hostCpu());
        if (e.hasCapability(StandardCapabilities.CUDA) && driverTooOld().isEmpty()) {
            int n = Math.max(gpuCount(e), Gpus.visible().size());
            for (int i = 0; i < n; i++) {
                out.add(gpu(i));
            }
        }
        return out;
    }

    private static int gpuCount(Engine e) {
        try {
            return e.getGpuCount();
        } catch (RuntimeException | LinkageError ex) {
            return 0;
        }
    }

    private static DeviceInfo gpu(int i) {
        DeviceInfo d = DeviceInfo.gpu(i, cudaVersion());
        if (d.computeCapability().isEmpty() || d.memoryBytes() == 0) { // no driver tool: ask CUDA itself
            try {
                String cc = CudaUtils.getComputeCapability(i); // e.g. "90"
                long memory = CudaUtils.getGpuMemory(Device.gpu(i)).getMax();
                d = d.withUnknownsFrom(memory, cc.length() >= 2 ? cc.substring(0, cc.length() - 1) + "." + cc.charAt(cc.length() - 1) : "");
            } catch (RuntimeException | LinkageError ex) {
                // described by what nvidia-smi said, if anything
            }
        }
        return d;
    }

    /** The CUDA version of this PyTorch build (from its flavour, e.g. cu124 → 12.4), or "". */
    static String cudaVersion() {
        String flavor = flavor();
        return flavor.matches("cu\\d{3}") ? flavor.substring(2, 4) + "." + flavor.substring(4) : "";
    }

    /** The PyTorch native build on the class path: {@code cpu}, {@code cu124}, … ("" when unknown). */
    static String flavor() {
        return BundledLibTorch.onClassPath().map(BundledLibTorch.Build::flavor).orElse("");
    }

    /** What the backend can do on a GPU here, in one sentence ({@link BackendInfo#GPU_NOTE}). */
    static String gpuNote(List<DeviceInfo> devices) {
        if (!BundledLibTorch.onClassPath().map(BundledLibTorch.Build::isCuda).orElse(false)) {
            return "this build ships PyTorch's CPU library (pytorch-native-" + flavor() + "); infodyn's GPU build (INFODYN_GPU=1) "
                    + "ships PyTorch 2.5.1 for CUDA 12.4 (pytorch-native-cu124)";
        }
        if (devices.stream().noneMatch(DeviceInfo::isGpu)) {
            return "PyTorch " + engine().getVersion() + " for CUDA " + cudaVersion() + " sees no GPU: "
                    + Gpus.unavailableReason().or(DjlRuntime::driverTooOld).orElse("CUDA reports none");
        }
        return "PyTorch " + engine().getVersion() + " for CUDA " + cudaVersion() + " (CUDA runtime and cuDNN bundled; needs an NVIDIA "
                + "driver for CUDA 12.4 or newer)";
    }

    /** Why the driver cannot run this PyTorch build, if so. */
    private static Optional<String> driverTooOld() {
        return Gpus.driverTooOld(cudaVersion());
    }

    /** Per GPU tried: empty when a tensor could be made on it, else PyTorch's reason. Once per JVM. */
    private static final Map<String, Optional<String>> tried = new ConcurrentHashMap<>();

    /** Why PyTorch cannot make a tensor on {@code gpu} (tried once per JVM), or empty when it can. */
    static Optional<String> unusable(DeviceInfo gpu) {
        return tried.computeIfAbsent(gpu.id(), id -> {
            try (NDManager m = engine().newBaseManager(device(gpu))) {
                m.zeros(new Shape(1)).toFloatArray();
                return Optional.empty();
            } catch (RuntimeException | LinkageError e) {
                return Optional.of("PyTorch " + engine().getVersion() + " for CUDA " + cudaVersion() + " cannot make a tensor on it ("
                        + rootMessage(e) + ")");
            }
        });
    }

    /** DJL's device for one infodyn chose. */
    static Device device(DeviceInfo chosen) {
        return chosen.isGpu() ? Device.gpu(chosen.gpuIndex().orElseThrow()) : Device.cpu();
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
