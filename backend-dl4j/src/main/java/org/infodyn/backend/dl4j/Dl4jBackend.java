package org.infodyn.backend.dl4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.backend.DeviceInfo;
import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ModelArguments;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;

/**
 * infodyn on Deeplearning4j / ND4J 1.0.0-M2.1 (CPU, float32). Each model is a DL4J
 * {@code MultiLayerNetwork}: DL4J computes the forward pass, the activations of named layers and
 * the back-propagated gradients; the step applies the api's loss gradient and SGD update itself on
 * DL4J's flat parameter vector. Priority 50: chosen only when asked for or when the faster
 * backends are absent.
 *
 * <p>Class path only: DL4J's jars carry broken module descriptors, so this module has no
 * {@code module-info} and registers through {@code META-INF/services}. Discovery is cheap:
 * nothing of ND4J is initialised until {@link #describe()} or {@link #build}.
 *
 * <p>Process-wide effects (ND4J and JavaCPP have one configuration per JVM): the intra-op thread
 * count is ND4J's and OpenBLAS's global setting, so the last model built decides it for all; and
 * before loading the natives the backend sets, unless the user has, JavaCPP's unpack folder
 * ({@code org.bytedeco.javacpp.cachedir} = {@code <infodyn cache>/javacpp}, shared with every
 * JavaCPP user), {@code org.bytedeco.javacpp.maxPhysicalBytes=0} (JavaCPP would otherwise measure
 * the process's resident memory on every native allocation) and ND4J's {@code shapeinfoprovider}
 * ({@link CachingShapeInfoProvider}). The last two matter for speed only, and only take effect
 * when the dl4j backend is the first to initialise JavaCPP and ND4J in the JVM;
 * {@link #describe()} reports whether they did.
 */
public final class Dl4jBackend implements Backend {
    /** The backend id. */
    public static final String ID = "dl4j";

    /**
     * Why there is no GPU here, in every build: ND4J's only CUDA release for its newest version
     * cannot share a process with TensorFlow's GPU build, and predates the GPUs infodyn targets.
     */
    static final String GPU_NOTE = "runs on the CPU only, in infodyn's GPU build too: ND4J 1.0.0-M2.1 (the newest release) has a "
            + "CUDA build only for CUDA 11.6 (org.nd4j:nd4j-cuda-11.6, compiled before Hopper GPUs such as the H100/H200 existed), "
            + "and its JavaCPP CUDA 11.6 classes collide with the CUDA 12.6 ones TensorFlow's GPU build loads";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Deeplearning4j / ND4J";
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public Availability availability() {
        return Availability.ofClasses(Dl4jBackend.class.getClassLoader(), "put org.deeplearning4j:deeplearning4j-nn:1.0.0-M2.1, "
                + "org.nd4j:nd4j-native:1.0.0-M2.1 and " + Dl4jRuntime.NATIVE_ARTIFACT + " on the class path",
                "org.deeplearning4j.nn.multilayer.MultiLayerNetwork", "org.nd4j.linalg.factory.Nd4j",
                "org.nd4j.linalg.cpu.nativecpu.CpuBackend");
    }

    @Override
    public BackendInfo describe() {
        Dl4jRuntime.Info info = Dl4jRuntime.load();
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("Deeplearning4j", info.dl4jVersion());
        versions.put("ND4J", info.nd4jVersion());
        versions.put("ND4J backend", "nd4j-native (CPU" + (info.oneDnn() ? ", oneDNN" : "") + ")");
        versions.put("BLAS", info.blas());
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("native_cache", info.nativeCache());
        notes.put("data_type", "float32");
        notes.put("threads", "process-wide (ND4J and OpenBLAS): the last model built sets them");
        notes.put("nd4j_shape_cache", info.shapeCache() ? "on" : "off (ND4J was initialised before this backend: slower steps)");
        notes.put("javacpp_max_physical_bytes", info.maxPhysicalBytes());
        notes.put(BackendInfo.GPU_NOTE, GPU_NOTE);
        return BackendInfo.cpuOnly(versions, true, notes);
    }

    /** {@link Model#gradient} is implemented. */
    @Override
    public boolean computesGradients() {
        return true;
    }

    /** Float64 products in ND4J on the CPU ({@link Dl4jAlgebra}). */
    @Override
    public Optional<DeviceAlgebra> algebra(BuildOptions options) {
        DeviceInfo device = device(options); // the CPU, or a clear refusal
        Dl4jRuntime.threads(options.threads()); // loads the natives; process-wide, as for a model: the run's threads
        return Optional.of(new Dl4jAlgebra(device));
    }

    @Override
    public Model build(ModelSpec spec, Parameters initial, BuildOptions options) {
        ModelArguments.checkLayerKinds(this, spec);
        device(options); // the CPU, or a clear refusal
        initial.checkFits(spec);
        Dl4jRuntime.threads(options.threads());
        return new Dl4jModel(spec, initial);
    }
}
