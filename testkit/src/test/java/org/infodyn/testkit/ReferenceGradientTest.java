package org.infodyn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.BatchNorm;
import org.infodyn.api.model.Conv2d;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.GlobalAvgPool;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.model.Pool2d;
import org.infodyn.api.model.Residual;
import org.junit.jupiter.api.Test;

/**
 * The oracle checks itself: its analytic gradients equal central finite differences of its own
 * training-mode loss, for every layer kind (so the kits compare backends against something right).
 */
class ReferenceGradientTest {

    static ModelSpec zoo() {
        return new ModelSpec("zoo", new int[] {2, 6, 6}, List.<LayerSpec>of(
                new Conv2d("c1", 3, 3, 1, 1),
                BatchNorm.of("bn1"),
                new Activation("r1", Activation.Function.RELU),
                new Residual("res", List.of(new Conv2d("rc1", 4, 3, 2, 1), BatchNorm.of("rbn1"), new Activation("rr", Activation.Function.TANH),
                        new Conv2d("rc2", 4, 3, 1, 1)), List.of(new Conv2d("proj", 4, 1, 2, 0))),
                new Pool2d("mp", Pool2d.Function.MAX, 2, 1),
                new Pool2d("ap", Pool2d.Function.AVG, 2, 1),
                new Residual("id", List.of(new Conv2d("ic", 4, 1, 1, 0)), List.of()),
                new GlobalAvgPool("gap"),
                new Dense("d", 5),
                BatchNorm.of("bnd"),
                new Activation("t", Activation.Function.TANH),
                new Dense("output", 3)));
    }

    @Test
    void gradientsMatchFiniteDifferencesForEveryLayerKind() {
        ModelSpec spec = zoo();
        checkAgainstFiniteDifferences(spec, Initializer.initialize(spec, 3), true);
    }

    @Test
    void inferenceModeGradientsMatchFiniteDifferencesOfTheInferenceLoss() {
        ModelSpec spec = zoo();
        // running statistics away from their initial 0 and 1, so that using them matters
        ReferenceModel warm = new ReferenceModel(spec, Initializer.initialize(spec, 3));
        for (int s = 0; s < 3; s++) {
            warm.gradients(BackendCompatibilityKit.inputs(10 + s, 6, 2, 6, 6), BackendCompatibilityKit.labels(20 + s, 6, 3), new HashMap<>());
        }
        Parameters p = warm.parameters();
        assertThat(p.get("bn1.running_var").data()).doesNotContain(1f);
        checkAgainstFiniteDifferences(spec, p, false);
        // and the inference-mode gradient changes nothing, a batch of one sample included
        ReferenceModel m = new ReferenceModel(spec, p);
        m.inferenceGradients(BackendCompatibilityKit.inputs(7, 1, 2, 6, 6), new int[] {2}, new HashMap<>());
        assertThat(m.parameters()).isEqualTo(p);
    }

    private static void checkAgainstFiniteDifferences(ModelSpec spec, Parameters p, boolean training) {
        FloatTensor x = BackendCompatibilityKit.inputs(5, 6, 2, 6, 6);
        int[] y = BackendCompatibilityKit.labels(6, 6, 3);
        Map<String, double[]> grads = new HashMap<>();
        ReferenceModel model = new ReferenceModel(spec, p);
        if (training) {
            model.gradients(x, y, grads);
        } else {
            model.inferenceGradients(x, y, grads);
        }
        double h = 1e-4; // small enough not to cross the kinks of ReLU and max-pooling
        int checked = 0;
        for (ParameterSpec ps : spec.parameters()) {
            if (!ps.trainable()) {
                assertThat(grads).doesNotContainKey(ps.name());
                continue;
            }
            double[] g = grads.get(ps.name());
            assertThat(g).as(ps.name()).hasSize(ps.size());
            for (int j = 0; j < ps.size(); j += Math.max(1, ps.size() / 5)) {
                float v = p.get(ps.name()).data()[j];
                double up = lossWith(spec, p, ps, j, h, x, y, training);
                double down = lossWith(spec, p, ps, j, -h, x, y, training);
                // the parameters are floats: divide by the step actually taken, not the one asked for
                double numeric = (up - down) / ((double) (float) (v + h) - (double) (float) (v - h));
                assertThat(g[j]).as("%s[%d]", ps.name(), j)
                        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(2e-4 + 2e-3 * Math.abs(numeric)));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(60);
    }

    private static double lossWith(ModelSpec spec, Parameters p, ParameterSpec ps, int j, double delta, FloatTensor x, int[] y,
            boolean training) {
        FloatTensor t = p.get(ps.name());
        float[] v = t.data().clone();
        v[j] = (float) (v[j] + delta);
        Parameters q = p.with(ps.name(), new FloatTensor(t.shape(), v));
        ReferenceModel m = new ReferenceModel(spec, q);
        return training ? m.gradients(x, y, new HashMap<>()) : m.loss(x, y);
    }

    @Test
    void inferenceModeUsesRunningStatisticsAndTrainingUpdatesThem() {
        ModelSpec spec = new ModelSpec("bn", new int[] {4}, List.of(new Dense("d", 3), BatchNorm.of("bn"), new Dense("output", 2)));
        Parameters p = Initializer.initialize(spec, 1);
        assertThat(p.get("bn.running_var").data()).containsOnly(1f);
        ReferenceModel m = new ReferenceModel(spec, p);
        FloatTensor x = BackendCompatibilityKit.inputs(2, 8, 4);
        Map<String, FloatTensor> before = m.activations(x);
        m.gradients(x, BackendCompatibilityKit.labels(3, 8, 2), new HashMap<>());
        Parameters after = m.parameters();
        assertThat(after.get("bn.running_mean").data()).isNotEqualTo(p.get("bn.running_mean").data());
        // inference with fresh running statistics (mean 0, var 1) is γ·x/√(1+ε) + β = almost the identity
        float[] d = before.get("d").data();
        float[] bn = before.get("bn").data();
        for (int i = 0; i < d.length; i++) {
            assertThat((double) bn[i]).isCloseTo(d[i] / Math.sqrt(1 + 1e-5), org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(Flatten.class).isNotNull();
    }
}
