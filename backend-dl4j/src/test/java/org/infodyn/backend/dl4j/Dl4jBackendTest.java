package org.infodyn.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.DeviceInfo;
import org.infodyn.api.backend.BackendUnavailableException;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.random.Rng;
import org.infodyn.testkit.ReferenceModel;
import org.junit.jupiter.api.Test;

/** DL4J-specific behaviour beyond the compatibility kit, through the public SPI. */
class Dl4jBackendTest {
    private static final Dl4jBackend BACKEND = new Dl4jBackend();

    private static FloatTensor inputs(long seed, int n, int size) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return FloatTensor.matrix(n, size, x);
    }

    private static int[] labels(long seed, int n, int k) {
        Rng rng = new Rng(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(k);
        }
        return y;
    }

    private static ModelSpec mlp() {
        return new ModelSpec("mlp", new int[] {6}, List.of(new Dense("dense1", 8), new Activation("hidden1", Activation.Function.RELU),
                new Dense("dense2", 5), new Activation("hidden2", Activation.Function.TANH), new Dense("output", 3)));
    }

    private static void assertClose(Parameters actual, Parameters expected) {
        assertThat(actual.maxRelativeDifference(expected, 1e-3)).isLessThan(1e-4);
    }

    @Test
    void isFoundOnTheClassPathThroughServiceLoader() {
        List<Backend> found = ServiceLoader.load(Backend.class).stream().map(ServiceLoader.Provider::get)
                .filter(b -> b.id().equals("dl4j")).toList();
        assertThat(found).singleElement().isInstanceOf(Dl4jBackend.class);
        assertThat(found.get(0).priority()).isEqualTo(50);
        assertThat(found.get(0).supportedLayerKinds()).containsExactlyInAnyOrder("dense", "relu", "tanh", "flatten", "conv2d",
                "maxpool", "avgpool", "globalavgpool", "batchnorm", "residual");
    }

    @Test
    void describesLibraryVersionsBlasAndTheNativeCache() {
        BackendInfo info = BACKEND.describe();
        assertThat(BACKEND.displayName()).isEqualTo("Deeplearning4j / ND4J");
        assertThat(info.versions()).containsEntry("Deeplearning4j", "1.0.0-M2.1").containsEntry("ND4J", "1.0.0-M2.1");
        assertThat(info.versions().get("BLAS")).startsWith("OPENBLAS");
        assertThat(info.versions()).as("the build ships ND4J's oneDNN natives (7x faster convolutions)")
                .containsEntry("ND4J backend", "nd4j-native (CPU, oneDNN)");
        assertThat(info.devices()).extracting(DeviceInfo::id).containsExactly("cpu");
        assertThat(info.notes().get(BackendInfo.GPU_NOTE)).as("says why it has no GPU").contains("CUDA 11.6");
        assertThat(info.deterministic()).isTrue();
        assertThat(info.notes()).containsEntry("data_type", "float32").containsKey("native_cache");
    }

    @Test
    void refusesTheGpuAndRunsAutoOnTheCpu() {
        ModelSpec spec = mlp();
        Parameters p = Initializer.initialize(spec, 1);
        assertThatThrownBy(() -> BACKEND.build(spec, p, new BuildOptions("gpu", 1)))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("device gpu").hasMessageContaining("nd4j-cuda-11.6");
        try (Model m = BACKEND.build(spec, p, new BuildOptions("auto", 1))) {
            assertThat(m.parameters()).isEqualTo(p);
        }
    }

    @Test
    void changingTheBatchSizeBetweenStepsKeepsTheReferenceSemantics() {
        ModelSpec spec = mlp();
        Parameters p = Initializer.initialize(spec, 2);
        ReferenceModel ref = new ReferenceModel(spec, p);
        SgdSettings sgd = new SgdSettings(0.1, 0.9, 1e-3);
        try (Model m = BACKEND.build(spec, p, BuildOptions.cpu())) {
            int step = 0;
            for (int b : new int[] {16, 5, 16, 1, 16}) {
                FloatTensor x = inputs(10 + step, b, 6);
                int[] y = labels(20 + step, b, 3);
                double refLoss = ref.step(x, y, sgd);
                assertThat(m.step(x, y, sgd).loss()).as("loss at batch %d", b).isCloseTo(refLoss, within(1e-4 * Math.max(1, refLoss)));
                step++;
            }
            assertClose(m.parameters(), ref.parameters());
        }
    }

    @Test
    void probingActivationsBetweenStepsDoesNotChangeTraining() {
        ModelSpec spec = mlp();
        Parameters p = Initializer.initialize(spec, 3);
        SgdSettings sgd = new SgdSettings(0.05, 0.5, 1e-4);
        try (Model probed = BACKEND.build(spec, p, BuildOptions.cpu()); Model plain = BACKEND.build(spec, p, BuildOptions.cpu())) {
            for (int s = 0; s < 10; s++) {
                FloatTensor x = inputs(30 + s, 8, 6);
                int[] y = labels(40 + s, 8, 3);
                probed.activations(inputs(50 + s, 33, 6), spec.layerNames());
                probed.step(x, y, sgd);
                plain.step(x, y, sgd);
            }
            assertThat(probed.parameters()).isEqualTo(plain.parameters());
        }
    }

    @Test
    void anActivationAsFirstLayerWorksInPlaceOnACopyOfTheInput() {
        ModelSpec spec = new ModelSpec("act-first", new int[] {4}, List.of(new Activation("squash", Activation.Function.TANH),
                new Dense("dense1", 6), new Activation("hidden1", Activation.Function.RELU), new Dense("output", 2)));
        Parameters p = Initializer.initialize(spec, 4);
        FloatTensor x = inputs(5, 7, 4);
        float[] before = x.data().clone();
        Map<String, FloatTensor> expected = new ReferenceModel(spec, p).activations(x);
        try (Model m = BACKEND.build(spec, p, BuildOptions.cpu())) {
            Map<String, FloatTensor> actual = m.activations(x, List.of("output", "squash", "dense1"));
            for (String layer : actual.keySet()) {
                float[] a = actual.get(layer).data();
                float[] e = expected.get(layer).data();
                for (int i = 0; i < a.length; i++) {
                    assertThat(a[i]).as("%s[%d]", layer, i).isCloseTo(e[i], within(1e-5f));
                }
            }
        }
        assertThat(x.data()).as("the caller's inputs").containsExactly(before);
    }

    @Test
    void aNetworkWithoutParametersTrainsNothingButStillReportsItsLoss() {
        ModelSpec spec = new ModelSpec("relu-only", new int[] {3}, List.of(new Activation("logits", Activation.Function.RELU)));
        try (Model m = BACKEND.build(spec, Initializer.initialize(spec, 1), BuildOptions.cpu())) {
            FloatTensor x = FloatTensor.matrix(2, 3, new float[] {1, -2, 3, -4, 5, -6});
            double expected = (Math.log(Math.exp(1) + 1 + Math.exp(3)) - 1 + Math.log(2 + Math.exp(5)) - 5) / 2;
            assertThat(m.step(x, new int[] {0, 1}, SgdSettings.plain(0.1)).loss()).isCloseTo(expected, within(1e-6));
            assertThat(m.activations(x, List.of("logits")).get("logits").data()).containsExactly(1, 0, 3, 0, 5, 0);
            assertThat(m.parameters().size()).isZero();
        }
    }
}
