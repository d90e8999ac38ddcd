package org.infodyn.api.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;

/**
 * A deep-learning framework that can execute a {@link ModelSpec}: the first of infodyn's three
 * SPIs. Implementations are found with {@link java.util.ServiceLoader}; register yours both with
 * {@code provides org.infodyn.api.backend.Backend with …} in {@code module-info.java} and in
 * {@code META-INF/services/org.infodyn.api.backend.Backend}.
 *
 * <p><b>Cheap discovery.</b> The constructor, {@link #id()}, {@link #priority()},
 * {@link #supportedLayerKinds()} and {@link #availability()} must not load a native library or
 * touch a device: every installed backend is instantiated whenever infodyn starts. Natives load
 * in {@link #describe()} or the first {@link #build}.
 *
 * <p><b>Semantics the api fixes</b> (so all backends agree within float tolerance): parameters
 * arrive in the canonical layout from the api's initialiser; the loss is the mean softmax
 * cross-entropy; SGD follows {@link SgdSettings}; batches and their order come from the api.
 * A backend never draws random numbers of its own.
 *
 * <p>Implementations must be thread-safe for concurrent {@link #build} calls; each
 * {@link Model} is used by one thread at a time.
 */
public interface Backend {

    /** Stable, lower-case id used in experiment files and on the command line, e.g. {@code djl}. */
    String id();

    /** Human-readable name, e.g. {@code DJL (PyTorch engine)}. */
    String displayName();

    /**
     * Rank among installed backends when the user chooses none: the highest available wins.
     * Built-ins use 100 (DJL), 90 (TensorFlow), 50 (DL4J); third parties should stay below 100
     * unless they mean to become the default.
     */
    int priority();

    /**
     * The {@link LayerSpec#kind() layer kinds} this backend can build, e.g. {@code dense, relu,
     * tanh, flatten}. Cheap; used to reject an experiment before it runs. The default is every
     * kind there is ({@link LayerSpec#kinds()}); a backend that lacks some overrides it.
     */
    default Set<String> supportedLayerKinds() {
        return LayerSpec.kinds();
    }

    /**
     * Whether the backend's Java classes are present, without loading natives. A backend that is
     * discovered but unavailable is listed by {@code infodyn backends} with the reason.
     */
    Availability availability();

    /**
     * Versions, devices and capabilities. May load the native library (seconds on first use).
     *
     * @throws BackendUnavailableException when the native library cannot be loaded; the message
     *     says which artifact is missing or which platform is unsupported
     */
    BackendInfo describe();

    /**
     * The device a network built with {@code options} runs on: infodyn asks before it trains or
     * writes anything, so that a GPU asked for and not at hand is a one-line error, and records
     * the answer in the manifest. May load the native library. The default picks from
     * {@link #describe()}'s devices ({@link BuildOptions#resolve}); a backend overrides it only
     * when its choice depends on more than that list.
     *
     * @throws BackendUnavailableException when the device asked for is not available, saying
     *     what the backend has and why
     */
    default DeviceInfo device(BuildOptions options) {
        return options.resolve(id(), describe());
    }

    /**
     * Builds a network with the given initial parameters.
     *
     * @param spec the network; every layer kind must be in {@link #supportedLayerKinds()}
     * @param initial values in the canonical layout; the backend copies them
     * @param options device and threading; the device is the one {@link #device} chose
     * @return a model owned by the caller, who must {@link Model#close() close} it
     * @throws UnsupportedLayerException when the spec uses a layer kind this backend lacks
     * @throws BackendUnavailableException when the native library cannot be loaded
     */
    Model build(ModelSpec spec, Parameters initial, BuildOptions options);

    /**
     * Whether its models implement {@link Model#gradient} (needed by probes of the weights' gradients,
     * e.g. {@code fisher}; infodyn checks it before training). Default false.
     */
    default boolean computesGradients() {
        return false;
    }

    /**
     * Float64 matrix work on the device {@code options} names ({@link DeviceAlgebra}), for probes
     * that ask for it (the linear decoder's {@code linearAlgebra: backend}). Default: none, and a
     * run whose probes ask is refused before it starts. May load the native library and, as
     * {@link #build} does, set the backend's process-wide thread count from {@code options}; a
     * run asks once and uses the one object throughout.
     *
     * @param options the run's device and threads, as {@link #build} gets them
     */
    default Optional<DeviceAlgebra> algebra(BuildOptions options) {
        return Optional.empty();
    }

    /**
     * Builds R networks of one architecture that train together ({@link ReplicaGroup}). A backend
     * that can batch them (stacked parameters, one graph run for all) overrides this; the default
     * builds R independent models with {@link #build} and steps them one after another, so every
     * backend supports replicas. Either way each replica must train exactly as a single model
     * would (the backend compatibility kit checks it).
     *
     * @param initial one set of initial parameters per replica, canonical layout; copied
     * @return a group owned by the caller, who must close it
     */
    default ReplicaGroup buildReplicas(ModelSpec spec, List<Parameters> initial, BuildOptions options) {
        List<Model> models = new ArrayList<>();
        try {
            for (Parameters p : initial) {
                models.add(build(spec, p, options));
            }
            return ReplicaGroup.sequential(models);
        } catch (RuntimeException | Error e) {
            models.forEach(Model::close);
            throw e;
        }
    }

    /** Whether this backend's classes are on the path, and if not, why. */
    record Availability(boolean available, String reason) {
        /** Available. */
        public static Availability yes() {
            return new Availability(true, "");
        }

        /** Not available, with the reason shown to the user. */
        public static Availability no(String reason) {
            return new Availability(false, reason);
        }

        /**
         * Available when every named class can be found by {@code loader} (without initialising
         * it, so no native library loads); otherwise the reason names the missing class and
         * {@code remedy} says which artifacts to add.
         */
        public static Availability ofClasses(ClassLoader loader, String remedy, String... classNames) {
            for (String cls : classNames) {
                try {
                    Class.forName(cls, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    return no("class " + cls + " is missing: " + remedy);
                }
            }
            return yes();
        }
    }
}
