package org.infodyn.backend.tf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * infodyn on TensorFlow 2.18 through TensorFlow Java 1.1.0. Each model is one graph built once:
 * a training step is one {@code Session.run} that computes the loss, its gradients (TensorFlow's
 * C++ gradient registry) and the api's SGD update inside the graph; activations of named layers
 * are a second fetch path of the same graph. It runs on the device {@link #device} chooses: a GPU only in infodyn's GPU build
 * ({@link TfDevices}).
 *
 * <p>Discovery is cheap: TensorFlow's classes are not touched until {@link #describe()} or
 * {@link #build}. Set {@code TF_CPP_MIN_LOG_LEVEL=2} in the environment (the {@code infodyn}
 * launcher does) to silence TensorFlow's native INFO lines; Java cannot set it after start.
 */
public final class TfBackend implements Backend {
    /** The backend id. */
    public static final String ID = "tf";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "TensorFlow Java (graph mode)";
    }

    @Override
    public int priority() {
        return 90;
    }

    @Override
    public Availability availability() {
        return Availability.ofClasses(TfBackend.class.getClassLoader(), "put org.tensorflow:tensorflow-core-api:1.1.0 and "
                + TfRuntime.NATIVE_ARTIFACT + " on the path", "org.tensorflow.Graph", "org.tensorflow.internal.c_api.global.tensorflow");
    }

    @Override
    public BackendInfo describe() {
        String tf = TfRuntime.load();
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("TensorFlow Java", "1.1.0");
        versions.put("TensorFlow", tf);
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("native_cache", TfRuntime.cacheDir());
        notes.put("mode", "graph");
        notes.put(BackendInfo.GPU_NOTE, TfDevices.gpuNote());
        return new BackendInfo(versions, TfDevices.list(), true, notes);
    }

    /**
     * As every backend, but on its first GPU only: TensorFlow Java adds gradient ops through the
     * C API, which ignores the scope's device, so on {@code gpu:N} with N ≥ 1 the backward pass
     * would run on GPU 0.
     */
    @Override
    public DeviceInfo device(BuildOptions options) {
        DeviceInfo d = Backend.super.device(options);
        int n = d.gpuIndex().orElse(0);
        if (n > 0) {
            throw new BackendUnavailableException("device " + options.device() + " was requested, but backend tf runs on its first GPU "
                    + "only (TensorFlow Java would put the backward pass on GPU 0); choose the GPU with CUDA_VISIBLE_DEVICES and use "
                    + "device: gpu");
        }
        return d;
    }

    /** {@link Model#gradient} is implemented. */
    @Override
    public boolean computesGradients() {
        return true;
    }

    /** Float64 products in TensorFlow on the run's device ({@link TfAlgebra}). */
    @Override
    public Optional<DeviceAlgebra> algebra(BuildOptions options) {
        return Optional.of(new TfAlgebra(device(options), options.threads()));
    }

    @Override
    public Model build(ModelSpec spec, Parameters initial, BuildOptions options) {
        ModelArguments.checkLayerKinds(this, spec);
        initial.checkFits(spec);
        return new TfModel(spec, initial, options.threads(), device(options));
    }

    /**
     * Multilayer perceptrons train as one batched graph ({@link TfReplicaGroup}); other networks,
     * and a single replica, as independent models.
     */
    @Override
    public ReplicaGroup buildReplicas(ModelSpec spec, List<Parameters> initial, BuildOptions options) {
        if (initial.size() < 2 || !StackedBatch.isPerceptron(spec)) {
            return Backend.super.buildReplicas(spec, initial, options);
        }
        ModelArguments.checkLayerKinds(this, spec);
        return new TfReplicaGroup(spec, initial, options.threads(), device(options));
    }
}
