package org.infodyn.backend.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.infodyn.api.backend.DeviceInfo;
import org.infodyn.api.backend.Gpus;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

import static org.tensorflow.internal.c_api.global.tensorflow.*;

/**
 * TensorFlow's devices: which native build is on the class path, the CUDA libraries its GPU build
 * needs, the devices it sees, and how a model's graph and session are put on one of them.
 *
 * <p>TensorFlow's GPU build ({@code tensorflow-core-native}, classifier {@code linux-x86_64-gpu})
 * opens CUDA 12 and cuDNN 9 by their sonames at start-up and runs on the CPU alone when it finds
 * none. infodyn's GPU build carries them (JavaCPP's {@code org.bytedeco:cuda} presets with their
 * {@code -redist} natives): loading them here first puts them in the process, where TensorFlow's
 * {@code dlopen} of the same sonames finds them.
 */
final class TfDevices {
    /** JavaCPP presets whose libraries TensorFlow's GPU build opens (cuDNN's parts load with it). */
    private static final String[] CUDA_PRESETS = {"cudart", "cublas", "cudnn", "cufft", "cusolver", "cusparse", "nvrtc"};
    /** The CUDA version of the runtime infodyn's GPU build ships (org.bytedeco:cuda 12.6-9.5). */
    static final String SHIPPED_CUDA = "12.6";

    private static volatile List<DeviceInfo> devices;
    private static volatile String cudaLoad = "";

    private TfDevices() {
    }

    /** Whether TensorFlow's GPU build is on the class path (JavaCPP then loads it, not the CPU one). */
    static boolean gpuBuild() {
        return TfDevices.class.getClassLoader().getResource("org/tensorflow/internal/c_api/linux-x86_64-gpu/LICENSE") != null;
    }

    /**
     * Before TensorFlow loads, in the GPU build on a machine with an NVIDIA driver: loads the CUDA
     * libraries shipped with it. A missing preset is left to TensorFlow's own search (a system
     * CUDA 12); a failure is kept for the GPU note.
     */
    static void preloadCuda() {
        if (!gpuBuild() || !Gpus.driverPresent() || driverTooOld().isPresent()) {
            return; // CUDA cannot run here (its JNI wrappers need libcuda.so.1): spare the ~3.5 GB unpack
        }
        List<String> failed = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (String preset : CUDA_PRESETS) {
            Class<?> c;
            try {
                c = Class.forName("org.bytedeco.cuda.global." + preset, false, TfDevices.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                absent.add(preset);
                continue;
            }
            try {
                Loader.load(c);
            } catch (RuntimeException | LinkageError e) {
                failed.add(preset + " (" + e.getMessage() + ")");
            }
        }
        cudaLoad = !failed.isEmpty() ? "the CUDA libraries shipped for it failed to load: " + String.join("; ", failed)
                : !absent.isEmpty() ? "CUDA 12 and cuDNN 9 are taken from the system (no org.bytedeco:cuda " + String.join(", ", absent) + ")"
                : "";
    }

    /** The CPU, then each GPU TensorFlow sees, asked of a throw-away session. */
    static List<DeviceInfo> list() {
        List<DeviceInfo> d = devices;
        if (d != null) {
            return d;
        }
        synchronized (TfDevices.class) {
            if (devices == null) {
                devices = query();
            }
            return devices;
        }
    }

    private static List<DeviceInfo> query() {
        List<DeviceInfo> out = new ArrayList<>();
        out.add(DeviceInfo.hostCpu());
        if (!gpuBuild() || driverTooOld().isPresent()) {
            return out;
        }
        TF_Status status = TF_NewStatus();
        TF_Graph graph = TF_NewGraph();
        TF_SessionOptions options = TF_NewSessionOptions();
        try {
            byte[] config = ConfigProto.newBuilder().setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true)).build().toByteArray();
            try (BytePointer bytes = new BytePointer(config)) {
                TF_SetConfig(options, bytes, config.length, status);
            }
            TF_Session session = TF_NewSession(graph, options, status);
            if (TF_GetCode(status) != 0) {
                return out;
            }
            TF_DeviceList list = TF_SessionListDevices(session, status);
            try {
                for (int i = 0; TF_GetCode(status) == 0 && i < TF_DeviceListCount(list); i++) {
                    String type = TF_DeviceListType(list, i, status).getString();
                    String name = TF_DeviceListName(list, i, status).getString(); // …/device:GPU:0
                    if (type.equals("GPU")) {
                        int index = Integer.parseInt(name.substring(name.lastIndexOf(':') + 1));
                        DeviceInfo g = DeviceInfo.gpu(index, SHIPPED_CUDA);
                        out.add(g.memoryBytes() > 0 ? g : g.withUnknownsFrom(TF_DeviceListMemoryBytes(list, i, status), ""));
                    }
                }
            } finally {
                if (list != null && !list.isNull()) {
                    TF_DeleteDeviceList(list);
                }
                TF_CloseSession(session, status);
                TF_DeleteSession(session, status);
            }
        } finally {
            TF_DeleteSessionOptions(options);
            TF_DeleteGraph(graph);
            TF_DeleteStatus(status);
        }
        return out;
    }

    /** What TensorFlow can do on a GPU here ({@link org.infodyn.api.backend.BackendInfo#GPU_NOTE}). */
    static String gpuNote() {
        if (!gpuBuild()) {
            return "this build ships TensorFlow's CPU library (tensorflow-core-native, linux-x86_64); infodyn's GPU build "
                    + "(INFODYN_GPU=1) ships its linux-x86_64-gpu build with CUDA " + SHIPPED_CUDA + " and cuDNN 9.5";
        }
        if (list().stream().noneMatch(DeviceInfo::isGpu)) {
            return "TensorFlow's GPU build sees no GPU: " + (cudaLoad.isEmpty() ? Gpus.unavailableReason().or(TfDevices::driverTooOld)
                    .orElse("the driver lists GPUs, but TensorFlow could not use them (TF_CPP_MIN_LOG_LEVEL=0 shows why)") : cudaLoad);
        }
        return "TensorFlow's GPU build (built for compute capability 6.0 to 9.0), CUDA " + SHIPPED_CUDA + ", cuDNN 9.5"
                + (cudaLoad.isEmpty() ? "" : "; " + cudaLoad);
    }

    /** Why the driver cannot run the CUDA shipped for TensorFlow, if so. */
    private static Optional<String> driverTooOld() {
        return Gpus.driverTooOld(SHIPPED_CUDA);
    }

    /**
     * The softmax cross-entropy of each row of {@code logits} ({@code [N, K]}) against one-hot
     * labels. On a GPU it is {@code −Σ onehot·logSoftmax}: TensorFlow's fused op has no GPU kernel
     * when op determinism is asked for (the launcher sets {@code TF_DETERMINISTIC_OPS=1}), and
     * soft placement does not help, the kernel existing. On the CPU the fused op, as always.
     */
    static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> oneHot, DeviceInfo device) {
        if (!device.isGpu()) {
            return tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss();
        }
        return tf.math.neg(tf.reduceSum(tf.math.mul(oneHot, tf.nn.logSoftmax(logits)), tf.constant(1)));
    }

    /** The root of a model's graph: its ops on {@code device} (TensorFlow's choice for the CPU). */
    static Ops ops(Graph graph, DeviceInfo device) {
        Ops tf = Ops.create(graph);
        return device.isGpu()
                ? tf.withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(device.gpuIndex().orElseThrow()).build())
                : tf;
    }

    /**
     * A model's session: its threads; on a GPU, ops without a GPU kernel fall back to the CPU and
     * memory grows as needed (other models and backends share the GPU); on the CPU of the GPU
     * build, no GPU at all.
     */
    static ConfigProto sessionConfig(int threads, DeviceInfo device) {
        ConfigProto.Builder b = ConfigProto.newBuilder().setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(1);
        if (device.isGpu()) {
            b.setAllowSoftPlacement(true).setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        } else if (gpuBuild()) {
            b.putDeviceCount("GPU", 0);
        }
        return b.build();
    }
}
