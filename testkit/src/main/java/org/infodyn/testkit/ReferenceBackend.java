package org.infodyn.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.Infodyn;
import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ModelArguments;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;

/**
 * {@link ReferenceModel} behind the {@link Backend} SPI: a slow, dependency-free backend for
 * testing tasks, probes and the run loop without native libraries. Deliberately not registered
 * as a service: it is an oracle for tests, not a product backend.
 */
public final class ReferenceBackend implements Backend {

    @Override
    public String id() {
        return "reference";
    }

    @Override
    public String displayName() {
        return "plain-Java reference (testkit)";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public BackendInfo describe() {
        return BackendInfo.cpuOnly(Map.of("infodyn-testkit", Infodyn.version()), true, Map.of());
    }

    /** {@link Model#gradient} is implemented. */
    @Override
    public boolean computesGradients() {
        return true;
    }

    @Override
    public Model build(ModelSpec spec, Parameters initial, BuildOptions options) {
        ModelArguments.checkLayerKinds(this, spec);
        return new RefModel(spec, initial);
    }

    private static final class RefModel implements Model {
        private final ModelSpec spec;
        private final ReferenceModel ref;
        private boolean closed;

        RefModel(ModelSpec spec, Parameters initial) {
            this.spec = spec;
            this.ref = new ReferenceModel(spec, initial);
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("model is closed");
            }
        }

        @Override
        public ModelSpec spec() {
            return spec;
        }

        @Override
        public StepResult step(FloatTensor inputs, int[] labels, SgdSettings sgd) {
            checkOpen();
            ModelArguments.checkStep(spec, inputs, labels);
            int k = spec.outputClasses();
            float[] logits = ref.activations(inputs).get(spec.outputLayer().name()).data();
            StepResult before = StepResult.fromLogits(logits, 0, labels, k);
            double loss = ref.step(inputs, labels, sgd);
            return new StepResult(loss, before.correct(), labels.length);
        }

        @Override
        public void resetOptimizerState() {
            ref.resetOptimizerState();
        }

        @Override
        public Parameters gradient(FloatTensor inputs, int[] labels) {
            checkOpen();
            ModelArguments.checkStep(spec, inputs, labels);
            Map<String, double[]> grads = new LinkedHashMap<>();
            ref.inferenceGradients(inputs, labels, grads);
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            for (org.infodyn.api.model.ParameterSpec p : spec.parameters()) {
                if (p.trainable()) {
                    double[] g = grads.get(p.name());
                    float[] f = new float[g.length];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (float) g[i];
                    }
                    out.put(p.name(), new FloatTensor(p.shape(), f));
                }
            }
            return new Parameters(out);
        }

        @Override
        public Map<String, FloatTensor> activations(FloatTensor inputs, List<String> layers) {
            checkOpen();
            ModelArguments.checkActivations(spec, inputs, layers);
            Map<String, FloatTensor> all = ref.activations(inputs);
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            layers.forEach(l -> out.put(l, all.get(l)));
            return out;
        }

        @Override
        public Parameters parameters() {
            return ref.parameters();
        }

        @Override
        public void setParameters(Parameters values) {
            ref.setParameters(values);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
