package org.example.infodyn.tinybackend;

import java.util.Map;
import java.util.Set;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ModelArguments;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;

/**
 * {@code tiny-java} (example plugin): a backend in plain Java for multilayer perceptrons (dense,
 * ReLU, tanh, flatten). Slow, dependency-free, and complete: it passes infodyn's backend
 * compatibility kit, so infodyn's curves on it agree with those of the big frameworks.
 */
public final class TinyJavaBackend implements Backend {
    private static final Set<String> KINDS = Set.of(Dense.KIND, Flatten.KIND, Activation.Function.RELU.id(), Activation.Function.TANH.id());

    @Override
    public String id() {
        return "tiny-java";
    }

    @Override
    public String displayName() {
        return "plain-Java MLP (example plugin)";
    }

    @Override
    public int priority() {
        return 10; // never the default over the built-ins
    }

    @Override
    public Set<String> supportedLayerKinds() {
        return KINDS;
    }

    @Override
    public Availability availability() {
        return Availability.yes(); // nothing native to look for
    }

    @Override
    public BackendInfo describe() {
        return BackendInfo.cpuOnly(Map.of("tiny-java", "1.0.0"), true,
                Map.of("precision", "float32 values, double sums", BackendInfo.GPU_NOTE, "this example computes on the CPU only"));
    }

    @Override
    public Model build(ModelSpec spec, Parameters initial, BuildOptions options) {
        ModelArguments.checkLayerKinds(this, spec);
        device(options); // the CPU, or the standard refusal naming GPU_NOTE
        initial.checkFits(spec);
        return new TinyModel(spec, initial);
    }
}
