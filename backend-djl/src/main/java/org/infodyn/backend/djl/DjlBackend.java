package org.infodyn.backend.djl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.djl.engine.Engine;

import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.BackendUnavailableException;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.DeviceInfo;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ModelArguments;
import org.infodyn.api.backend.ReplicaGroup;
import org.infodyn.api.backend.StackedBatch;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;

/**
 * infodyn on DJL 0.36.0 with the PyTorch 2.7.1 engine. Networks run eagerly, one PyTorch op per
 * layer, with autograd for the backward pass and the api's SGD update applied in place. The
 * default backend (priority 100).
 *
 * <p>Discovery is cheap: nothing of DJL is touched until {@link #describe()} or {@link #build}.
 */
public final class DjlBackend implements Backend {
    /** The backend id. */
    public static final String ID = "djl";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "DJL (PyTorch engine)";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        return Availability.ofClasses(DjlBackend.class.getClassLoader(), "put DJL's api, pytorch-engine and pytorch-jni jars on the path",
                "ai.djl.engine.Engine", "ai.djl.pytorch.engine.PtEngineProvider", "ai.djl.pytorch.jni.LibUtils");
    }

    @Override
    public BackendInfo describe() {
        Engine engine = DjlRuntime.engine();
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("DJL", Engine.getDjlVersion());
        versions.put("PyTorch", engine.getVersion());
        List<DeviceInfo> devices = DjlRuntime.devices();
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("native_cache", DjlRuntime.cacheDir().toString());
        notes.put("offline", System.getProperty("ai.djl.offline"));
        notes.put(BackendInfo.GPU_NOTE, DjlRuntime.gpuNote(devices));
        return new BackendInfo(versions, devices, true, notes);
    }

    /** {@link Model#gradient} is implemented. */
    @Override
    public boolean computesGradients() {
        return true;
    }

    /**
     * As every backend, and a GPU is tried before it is promised: DJL counts GPUs through the CUDA
     * runtime or the driver, which can list one PyTorch cannot use (a GPU too new for its kernels,
     * one held exclusively by another process). Then {@code auto} takes the CPU (the manifest and
     * the run's first line say so) and {@code gpu}/{@code gpu:N} are refused with PyTorch's reason.
     */
    @Override
    public DeviceInfo device(BuildOptions options) {
        DeviceInfo d = Backend.super.device(options);
        if (!d.isGpu()) {
            return d;
        }
        Optional<String> unusable = DjlRuntime.unusable(d);
        if (unusable.isEmpty()) {
            return d;
        }
        if (options.device().equals("auto")) {
            return Backend.super.device(options.onDevice("cpu"));
        }
        throw new BackendUnavailableException("device " + options.device() + " was requested, but backend " + ID + " cannot use "
                + d.id() + ": " + unusable.get() + "; use device: cpu");
    }

    @Override
    public Model build(ModelSpec spec, Parameters initial, BuildOptions options) {
        ModelArguments.checkLayerKinds(this, spec);
        initial.checkFits(spec);
        DjlRuntime.threads(options.threads());
        return new DjlModel(spec, initial, device(options));
    }

    /** Float64 products in PyTorch on the run's device ({@link DjlAlgebra}). */
    @Override
    public Optional<DeviceAlgebra> algebra(BuildOptions options) {
        DeviceInfo device = device(options);
        DjlRuntime.threads(options.threads()); // process-wide, as for a model: the run's threads
        return Optional.of(new DjlAlgebra(device));
    }

    /**
     * Multilayer perceptrons train as stacked tensors with batched products ({@link DjlReplicaGroup});
     * other networks, and a single replica, as independent models.
     */
    @Override
    public ReplicaGroup buildReplicas(ModelSpec spec, List<Parameters> initial, BuildOptions options) {
        if (initial.size() < 2 || !StackedBatch.isPerceptron(spec)) {
            return Backend.super.buildReplicas(spec, initial, options);
        }
        ModelArguments.checkLayerKinds(this, spec);
        DjlRuntime.threads(options.threads());
        return new DjlReplicaGroup(spec, initial, DjlRuntime.device(device(options)));
    }
}
