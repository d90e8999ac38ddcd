package org.infodyn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.BackendUnavailableException;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.backend.DeviceInfo;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ReplicaGroup;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.backend.UnsupportedLayerException;
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
import org.infodyn.api.random.Rng;
import org.assertj.core.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Backend} must meet, as an abstract JUnit 5 class: subclass it in
 * your backend's tests and supply {@link #backend()}. It checks the api's semantics against
 * {@link ReferenceModel} (forward pass, SGD with momentum and weight decay, parameter layout),
 * plus determinism, error handling and resource hygiene.
 *
 * <pre>{@code
 * class MyBackendTest extends BackendCompatibilityKit {
 *     @Override protected Backend backend() { return new MyBackend(); }
 * }
 * }</pre>
 */
public abstract class BackendCompatibilityKit {

    /** The backend under test (a fresh or shared instance; it is never closed by the kit). */
    protected abstract Backend backend();

    /**
     * Relative tolerance for float32 agreement with the reference, relative to
     * {@code max(|a|, |b|, 1e-3)}: reassociation of float sums only. Override only with a reason.
     */
    protected double tolerance() {
        return 1e-4;
    }

    /**
     * Whether the backend holds native memory, so that the leak check applies. A pure-Java
     * backend returns false (its memory is the JVM's heap, which the garbage collector owns).
     */
    protected boolean holdsNativeMemory() {
        return true;
    }

    /**
     * Build/step/close cycles run before the native-memory check measures anything. A large
     * library keeps the JIT compiler busy for a while, and the compiler's memory counts as
     * resident too; raise this if the check sees the compiler (it then rises in steps that level
     * off, rather than steadily).
     */
    protected int leakCheckWarmUpCycles() {
        return 200;
    }

    /** Options used for every build. */
    protected BuildOptions options() {
        return BuildOptions.cpu();
    }

    /**
     * Whether the implementation is a plugin that infodyn should find (default: true). A test
     * double or an oracle that is deliberately not registered returns false, and the
     * registration check is skipped.
     */
    protected boolean registeredAsPlugin() {
        return true;
    }

    /**
     * The implementation is registered both ways: a {@code META-INF/services/org.infodyn.api.backend.Backend} line (the
     * class path, which {@code ./infodyn} uses) and, when its jar has a {@code module-info}, a
     * {@code provides} clause (the module path). A plugin registered one way only passes its own
     * tests and is then invisible to one of them; the message names the missing line.
     */
    @Test
    void isRegisteredBothWays() {
        Assumptions.assumeThat(registeredAsPlugin()).as("registeredAsPlugin() says this implementation is not a plugin").isTrue();
        Registration.assertRegistered(Backend.class, backend().getClass());
    }

    /** A small MLP using the kinds the backend claims (dense, relu, tanh, flatten). */
    protected static ModelSpec mlp(int[] input, int... hidden) {
        List<LayerSpec> layers = new ArrayList<>();
        if (input.length > 1) {
            layers.add(new Flatten("flatten"));
        }
        for (int i = 0; i < hidden.length; i++) {
            layers.add(new Dense("dense" + (i + 1), hidden[i]));
            layers.add(new Activation("hidden" + (i + 1), i % 2 == 0 ? Activation.Function.RELU : Activation.Function.TANH));
        }
        layers.add(new Dense("output", 3));
        return new ModelSpec("kit-mlp", input, layers);
    }

    /** Seeded standard-normal inputs {@code [n, ...shape]}. */
    protected static FloatTensor inputs(long seed, int n, int... shape) {
        Rng rng = new Rng(seed);
        int size = n;
        for (int d : shape) {
            size *= d;
        }
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return FloatTensor.batch(n, shape, x);
    }

    /** Seeded labels in {@code [0, k)}. */
    protected static int[] labels(long seed, int n, int k) {
        Rng rng = new Rng(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(k);
        }
        return y;
    }

    private void assertClose(FloatTensor actual, FloatTensor expected, String what) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        float[] a = actual.data();
        float[] e = expected.data();
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(1e-3, Math.max(Math.abs(a[i]), Math.abs(e[i])));
            assertThat(Math.abs(a[i] - e[i]) / scale).as("%s[%d]: backend %s, reference %s", what, i, a[i], e[i])
                    .isLessThanOrEqualTo(tolerance());
        }
    }

    private void assertClose(Parameters actual, Parameters expected) {
        assertThat(actual.names()).containsExactlyElementsOf(expected.names());
        for (String name : expected.names()) {
            assertClose(actual.get(name), expected.get(name), name);
        }
    }

    /**
     * Small convolutional models, each using a few layer kinds; a backend is tested on those whose
     * kinds it claims (and must claim all of them to run the image models).
     */
    protected static Map<String, ModelSpec> convolutionalZoo() {
        Map<String, ModelSpec> zoo = new LinkedHashMap<>();
        zoo.put("conv-maxpool", new ModelSpec("kit-conv", new int[] {2, 7, 7}, List.of(new Conv2d("c1", 3, 3, 1, 0),
                new Activation("r1", Activation.Function.RELU), new Pool2d("p1", Pool2d.Function.MAX, 2, 2), new Flatten("flatten"),
                new Dense("output", 3))));
        zoo.put("strided-avgpool-gap", new ModelSpec("kit-conv2", new int[] {3, 8, 8}, List.of(new Conv2d("c1", 4, 3, 2, 1),
                new Activation("t1", Activation.Function.TANH), new Pool2d("p1", Pool2d.Function.AVG, 2, 1), new GlobalAvgPool("gap"),
                new Dense("output", 3))));
        zoo.put("batchnorm", new ModelSpec("kit-bn", new int[] {2, 5, 5}, List.of(new Conv2d("c1", 4, 3, 1, 1), BatchNorm.of("bn1"),
                new Activation("r1", Activation.Function.RELU), new GlobalAvgPool("gap"), new Dense("d1", 6), BatchNorm.of("bn2"),
                new Activation("r2", Activation.Function.RELU), new Dense("output", 3))));
        zoo.put("residual", new ModelSpec("kit-res", new int[] {3, 6, 6}, List.of(new Conv2d("stem", 4, 3, 1, 1),
                new Residual("block1", List.of(new Conv2d("b1c1", 4, 3, 1, 1), BatchNorm.of("b1bn1"), new Activation("b1r", Activation.Function.RELU),
                        new Conv2d("b1c2", 4, 3, 1, 1), BatchNorm.of("b1bn2")), List.of()),
                new Activation("r1", Activation.Function.RELU),
                new Residual("block2", List.of(new Conv2d("b2c1", 6, 3, 2, 1), BatchNorm.of("b2bn1"), new Activation("b2r", Activation.Function.RELU),
                        new Conv2d("b2c2", 6, 3, 1, 1), BatchNorm.of("b2bn2")), List.of(new Conv2d("b2proj", 6, 1, 2, 0), BatchNorm.of("b2projbn"))),
                new Activation("r2", Activation.Function.RELU), new GlobalAvgPool("gap"), new Dense("output", 3))));
        return zoo;
    }

    @Test
    void convolutionalModelsMatchTheReferenceForwardAndTraining() {
        int tested = 0;
        for (Map.Entry<String, ModelSpec> e : convolutionalZoo().entrySet()) {
            ModelSpec spec = e.getValue();
            if (!backend().supportedLayerKinds().containsAll(spec.layerKinds())) {
                continue;
            }
            tested++;
            Parameters p = Initializer.initialize(spec, 17);
            int[] in = spec.inputShape();
            FloatTensor x = inputs(21, 6, in);
            Map<String, FloatTensor> expected = new ReferenceModel(spec, p).activations(x);
            ReferenceModel ref = new ReferenceModel(spec, p);
            SgdSettings sgd = new SgdSettings(0.05, 0.9, 1e-3);
            try (Model m = backend().build(spec, p, options())) {
                Map<String, FloatTensor> actual = m.activations(x, spec.layerNames());
                for (String layer : spec.layerNames()) {
                    assertClose(actual.get(layer), expected.get(layer), e.getKey() + ": activation " + layer);
                }
                for (int s = 0; s < 3; s++) {
                    FloatTensor xs = inputs(30 + s, 8, in);
                    int[] ys = labels(40 + s, 8, 3);
                    double refLoss = ref.step(xs, ys, sgd);
                    assertThat(m.step(xs, ys, sgd).loss()).as("%s: loss of step %d", e.getKey(), s)
                            .isCloseTo(refLoss, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, refLoss)));
                }
                // parameters, batch-norm running statistics included, and inference after training
                assertClose(m.parameters(), ref.parameters());
                FloatTensor probe = inputs(50, 4, in);
                assertClose(m.activations(probe, List.of("output")).get("output"), ref.activations(probe).get("output"),
                        e.getKey() + ": output after training");
            }
        }
        assumeThat(tested).as("the backend claims the layer kinds of at least one convolutional model").isPositive();
    }

    /**
     * Batch-norm statistics at least as precise as PyTorch's CPU ones (double sums, the mean rounded
     * to float32 before the variance pass): a channel with a large mean and a small spread (an
     * image's uniform background), over a batch whose 32,768 values per channel float32 sums
     * would blur (their error in the mean, squared, is a visible part of so small a variance). One
     * training step with momentum 1 puts the batch mean and the unbiased batch variance into the
     * running statistics; they are compared with a double computation on the same float inputs.
     * The variance may be off by what rounding the mean to float32 adds, (ulp/2)² (PyTorch's
     * kernel, 9e-6 of this variance at most), and by 1e-6 of it besides. Measured relative errors:
     * DJL 1.9e-6 (that rounding), DL4J and TF 3e-8; TF's own float32 mean and variance 6e-5, which
     * fails. The mean's check is a sanity check: float32 sums come within its tolerance too.
     */
    @Test
    void batchNormStatisticsArePreciseForALargeMeanAndASmallSpread() {
        ModelSpec spec = new ModelSpec("kit-bn-precision", new int[] {2, 32, 32},
                List.of(new BatchNorm("bn", 1e-5, 1.0), new GlobalAvgPool("gap"), new Dense("output", 2)));
        assumeThat(backend().supportedLayerKinds()).as("the backend claims batch norm").containsAll(spec.layerKinds());
        int n = 32;
        int plane = 32 * 32;
        Rng rng = new Rng(5);
        float[] x = new float[n * 2 * plane];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < plane; q++) {
                x[(2 * i) * plane + q] = (float) (1000 + 0.01 * rng.nextGaussian());
                x[(2 * i + 1) * plane + q] = (float) (0.5 * rng.nextGaussian());
            }
        }
        try (Model m = backend().build(spec, Initializer.initialize(spec, 3), options())) {
            m.step(FloatTensor.batch(n, new int[] {2, 32, 32}, x), labels(6, n, 2), new SgdSettings(0.01, 0, 0));
            float[] mean = m.parameters().get("bn.running_mean").data();
            float[] var = m.parameters().get("bn.running_var").data();
            for (int c = 0; c < 2; c++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    for (int q = 0; q < plane; q++) {
                        sum += x[(2 * i + c) * plane + q];
                    }
                }
                double mu = sum / (n * plane);
                double squares = 0;
                for (int i = 0; i < n; i++) {
                    for (int q = 0; q < plane; q++) {
                        double dev = x[(2 * i + c) * plane + q] - mu;
                        squares += dev * dev;
                    }
                }
                double unbiased = squares / (n * plane - 1);
                assertThat((double) mean[c]).as("channel %d: batch mean", c).isCloseTo(mu, within(1e-6 * Math.abs(mu) + 1e-7));
                double rounding = Math.ulp((float) mu) / 2; // of the mean to float32, which PyTorch does
                double allowed = 1e-6 * unbiased + rounding * rounding * (n * plane) / (n * plane - 1.0);
                assertThat((double) var[c]).as("channel %d: unbiased batch variance", c).isCloseTo(unbiased, within(allowed));
            }
        }
    }

    /**
     * {@link Model#gradient} (for backends that {@linkplain Backend#computesGradients() claim it}):
     * the inference-mode gradient of the reference network (itself checked against finite
     * differences), on an MLP and on every convolutional model whose layer kinds the backend
     * claims, after a few momentum steps (so running statistics and momentum buffers are not at
     * their start); and it changes nothing: the parameters stay, and the next training step still
     * equals the reference's.
     */
    @Test
    void gradientsWithoutAnUpdateEqualTheReferenceAndChangeNothing() {
        assumeThat(backend().computesGradients()).as("the backend computes gradients").isTrue();
        Map<String, ModelSpec> specs = new LinkedHashMap<>();
        specs.put("mlp", mlp(new int[] {6}, 8, 4));
        convolutionalZoo().forEach((name, spec) -> {
            if (backend().supportedLayerKinds().containsAll(spec.layerKinds())) {
                specs.put(name, spec);
            }
        });
        SgdSettings sgd = new SgdSettings(0.05, 0.9, 1e-3);
        for (Map.Entry<String, ModelSpec> e : specs.entrySet()) {
            ModelSpec spec = e.getValue();
            int[] in = spec.inputShape();
            int k = spec.outputClasses();
            Parameters p = Initializer.initialize(spec, 23);
            ReferenceModel ref = new ReferenceModel(spec, p);
            try (Model m = backend().build(spec, p, options())) {
                for (int s = 0; s < 2; s++) {
                    FloatTensor xs = inputs(60 + s, 8, in);
                    int[] ys = labels(70 + s, 8, k);
                    ref.step(xs, ys, sgd);
                    m.step(xs, ys, sgd);
                }
                for (int batch : new int[] {1, 5}) {
                    FloatTensor x = inputs(80 + batch, batch, in);
                    int[] y = labels(90 + batch, batch, k);
                    Parameters before = m.parameters();
                    Parameters g = m.gradient(x, y);
                    Map<String, double[]> expected = new LinkedHashMap<>();
                    ref.inferenceGradients(x, y, expected);
                    List<String> trainable = spec.parameters().stream().filter(ParameterSpec::trainable).map(ParameterSpec::name).toList();
                    assertThat(g.names()).as(e.getKey() + ": gradient names").containsExactlyElementsOf(trainable);
                    for (String name : trainable) {
                        double[] ex = expected.get(name);
                        float[] ef = new float[ex.length];
                        for (int i = 0; i < ef.length; i++) {
                            ef[i] = (float) ex[i];
                        }
                        assertClose(g.get(name), new FloatTensor(g.get(name).shape(), ef), e.getKey() + ": gradient of " + name + " (batch " + batch + ")");
                    }
                    assertThat(m.parameters()).as(e.getKey() + ": parameters after a gradient").isEqualTo(before);
                }
                FloatTensor xs = inputs(99, 8, in);
                int[] ys = labels(98, 8, k);
                double refLoss = ref.step(xs, ys, sgd);
                assertThat(m.step(xs, ys, sgd).loss()).as("%s: the step after gradients", e.getKey())
                        .isCloseTo(refLoss, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, refLoss)));
                assertClose(m.parameters(), ref.parameters());
            }
        }
    }

    @Test
    void identifiesItselfCheaply() {
        Backend b = backend();
        assertThat(b.id()).matches("[a-z0-9][a-z0-9-]*");
        assertThat(b.displayName()).isNotBlank();
        assertThat(b.supportedLayerKinds()).contains("dense");
        assertThat(LayerSpec.kinds()).as("layer kinds the api knows").containsAll(b.supportedLayerKinds());
        assertThat(b.availability().available()).as(b.availability().reason()).isTrue();
    }

    @Test
    void describesVersionsAndDevices() {
        BackendInfo info = backend().describe();
        assertThat(info.versions()).isNotEmpty();
        assertThat(info.devices()).as("devices").isNotEmpty();
        assertThat(info.devices().stream().map(DeviceInfo::id).distinct().count()).as("device ids are distinct")
                .isEqualTo(info.devices().size());
    }

    /**
     * Every device request resolves to a device the backend lists, or is refused with a message
     * that names the request and the backend; {@code auto} always resolves (a GPU when there is
     * one), {@code cpu} and {@code gpu} whenever the backend lists such a device.
     */
    @Test
    void resolvesEveryDeviceRequestToOneItListsOrRefusesIt() {
        Backend b = backend();
        BackendInfo info = b.describe();
        boolean hasGpu = info.devices().stream().anyMatch(DeviceInfo::isGpu);
        for (String request : List.of("auto", "cpu", "gpu", "gpu:0", "gpu:63")) {
            BuildOptions asked = new BuildOptions(request, 1);
            try {
                DeviceInfo d = b.device(asked);
                assertThat(info.devices()).as(request).extracting(DeviceInfo::id).contains(d.id());
                ModelSpec spec = mlp(new int[] {3}, 4);
                try (Model m = b.build(spec, Initializer.initialize(spec, 1), new BuildOptions(request, options().threads()))) {
                    assertThat(m.device().id()).as("%s: the model computes where the backend said", request).isEqualTo(d.id());
                }
                if (request.equals("auto") && hasGpu && !d.isGpu()) {
                    // it lists a GPU it finds it cannot use after all: then it must refuse it when asked
                    assertThatThrownBy(() -> b.device(new BuildOptions("gpu", 1))).as("auto took the CPU beside a listed GPU")
                            .isInstanceOf(BackendUnavailableException.class);
                } else {
                    assertThat(d.isGpu()).as(request).isEqualTo(request.equals("auto") ? hasGpu : asked.wantsGpu());
                }
                asked.gpuIndex().ifPresent(n -> assertThat(d.gpuIndex()).hasValue(n));
            } catch (BackendUnavailableException e) {
                assertThat(request).as("auto never fails").isNotEqualTo("auto");
                assertThat(e.getMessage()).as("names the request and the backend").contains("device " + request).contains(b.id());
                if (request.equals("cpu") || request.equals("gpu") && !e.getMessage().contains("cannot use")) {
                    assertThat(info.devices()).as("refused " + request + ": it lists none (or says why it cannot use it)")
                            .noneMatch(d -> d.isGpu() == asked.wantsGpu());
                }
            }
        }
    }

    /**
     * Where the backend offers {@link DeviceAlgebra} (skipped where it does not): the Gram of a
     * block of samples on the run's device equals the exact product within float64 rounding
     * ({@code 2k·2⁻⁵³·Σ|a_il·a_jl|}, per entry, against a compensated sum), on a block whose
     * features span six orders of magnitude and shapes with a single row and a single column; the
     * same call gives the same bits again; a wrong array length is refused.
     */
    @Test
    void deviceAlgebraComputesTheGramWithinFloat64Rounding() {
        Backend b = backend();
        Optional<DeviceAlgebra> offered = b.algebra(options());
        assumeThat(offered).as("the backend offers device algebra").isPresent();
        checkGrams(offered.get(), "device " + offered.get().device().id());
    }

    /**
     * Where the backend lists a GPU and offers {@link DeviceAlgebra} there: the same Gram
     * contract on the GPU, the device reported as the GPU.
     */
    @Test
    void onAGpuItsDeviceAlgebraComputesTheGramWithinFloat64Rounding() {
        Backend b = backend();
        assumeThat(b.describe().devices()).as("a GPU to test on").anyMatch(DeviceInfo::isGpu);
        Optional<DeviceAlgebra> offered = b.algebra(options().onDevice("gpu"));
        assumeThat(offered).as("the backend offers device algebra").isPresent();
        assertThat(offered.get().device().isGpu()).as("algebra asked onto the GPU says it is there").isTrue();
        checkGrams(offered.get(), "the GPU");
    }

    private static void checkGrams(DeviceAlgebra algebra, String where) {
        int[][] shapes = {{37, 301}, {1, 5}, {6, 1}, {64, 64}};
        Rng rng = new Rng(9);
        for (int[] shape : shapes) {
            int n = shape[0];
            int k = shape[1];
            double[] a = new double[n * k];
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < k; l++) {
                    a[i * k + l] = rng.nextGaussian() * Math.pow(10, (l % 7) - 3);
                }
            }
            double[] before = a.clone();
            double[] g = algebra.gram(a, n, k);
            assertThat(a).as("%s: the input is left alone", where).containsExactly(before);
            assertThat(g).as("%s: an %d × %d Gram", where, n, n).hasSize(n * n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double compensation = 0;
                    double magnitude = 0;
                    for (int l = 0; l < k; l++) { // Kahan's sum of exact-enough products
                        double term = a[i * k + l] * a[j * k + l] - compensation;
                        double next = sum + term;
                        compensation = (next - sum) - term;
                        sum = next;
                        magnitude += Math.abs(a[i * k + l] * a[j * k + l]);
                    }
                    double allowed = (2.0 * k + 4) * Math.ulp(1.0) / 2 * magnitude; // the contract's 2k, + 4 for the reference's rounding
                    assertThat(g[i * n + j]).as("%s: entry (%d, %d) of a %d × %d block", where, i, j, n, k).isCloseTo(sum, within(allowed));
                }
            }
            assertThat(algebra.gram(a, n, k)).as("%s: the same call, the same bits", where).containsExactly(g);
        }
        assertThatThrownBy(() -> algebra.gram(new double[5], 2, 3)).as("%s: 5 values for 2 × 3", where)
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The largest relative difference allowed, per parameter tensor ({@link Parameters#maxRelativeNormDifference}),
     * between a model trained on a GPU and the same model trained on the CPU for
     * {@value #GPU_STEPS} SGD steps: GPUs sum in another order. Default 1e-3.
     */
    protected double gpuTolerance() {
        return 1e-3;
    }

    private static final int GPU_STEPS = 20;

    /**
     * Where the backend lists a GPU (its GPU build on a machine with one; skipped elsewhere): the
     * MLP and every convolutional model it supports train on the GPU as on the CPU, from the same
     * start on the same batches, within {@link #gpuTolerance()}.
     */
    @Test
    void onAGpuItTrainsAsOnTheCpu() {
        Backend b = backend();
        assumeThat(b.describe().devices()).as("a GPU to test on").anyMatch(DeviceInfo::isGpu);
        BuildOptions cpu = options().onDevice("cpu");
        BuildOptions gpu = options().onDevice("gpu");
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        models.put("mlp", mlp(new int[] {6}, 8, 4));
        convolutionalZoo().forEach((name, spec) -> {
            if (spec.layers().stream().flatMap(LayerSpec::walk).allMatch(l -> b.supportedLayerKinds().contains(l.kind()))) {
                models.put(name, spec);
            }
        });
        SgdSettings sgd = new SgdSettings(0.05, 0.9, 1e-3);
        models.forEach((name, spec) -> {
            Parameters p = Initializer.initialize(spec, 5);
            try (Model onCpu = b.build(spec, p, cpu); Model onGpu = b.build(spec, p, gpu)) {
                assertThat(onGpu.device().isGpu()).as("%s: a model asked onto the GPU says it is there", name).isTrue();
                assertThat(onCpu.device().isGpu()).as("%s: a model asked onto the CPU says it is there", name).isFalse();
                for (int s = 0; s < GPU_STEPS; s++) {
                    FloatTensor x = inputs(300 + s, 16, spec.inputShape());
                    int[] y = labels(400 + s, 16, 3);
                    double a = onCpu.step(x, y, sgd).loss();
                    double g = onGpu.step(x, y, sgd).loss();
                    assertThat(Math.abs(a - g)).as("%s: loss of step %d on the GPU (%s) and the CPU (%s)", name, s, g, a)
                            .isLessThanOrEqualTo(gpuTolerance() * Math.max(1, Math.abs(a)));
                }
                assertThat(onGpu.parameters().maxRelativeNormDifference(onCpu.parameters()))
                        .as("%s: parameters after %d steps, GPU against CPU", name, GPU_STEPS).isLessThanOrEqualTo(gpuTolerance());
            }
        });
    }

    @Test
    void forwardPassEqualsTheReferenceForEveryLayer() {
        ModelSpec spec = mlp(new int[] {2, 3, 2}, 7, 5);
        Parameters p = Initializer.initialize(spec, 42);
        FloatTensor x = inputs(1, 9, 2, 3, 2);
        Map<String, FloatTensor> expected = new ReferenceModel(spec, p).activations(x);
        try (Model m = backend().build(spec, p, options())) {
            Map<String, FloatTensor> actual = m.activations(x, spec.layerNames());
            assertThat(actual.keySet()).containsExactlyElementsOf(spec.layerNames());
            for (String layer : spec.layerNames()) {
                assertClose(actual.get(layer), expected.get(layer), "activation " + layer);
            }
        }
    }

    @Test
    void activationsOfASubsetComeInTheRequestedOrderAndChangeNothing() {
        ModelSpec spec = mlp(new int[] {6}, 8, 4);
        Parameters p = Initializer.initialize(spec, 3);
        try (Model m = backend().build(spec, p, options())) {
            Map<String, FloatTensor> a = m.activations(inputs(2, 5, 6), List.of("output", "hidden1"));
            assertThat(a.keySet()).containsExactly("output", "hidden1");
            assertThat(a.get("hidden1").shape()).containsExactly(5, 8);
            assertThat(m.parameters()).isEqualTo(p);
        }
    }

    @Test
    void sgdStepsWithMomentumAndWeightDecayEqualTheReference() {
        ModelSpec spec = mlp(new int[] {6}, 8, 4);
        Parameters p = Initializer.initialize(spec, 11);
        ReferenceModel ref = new ReferenceModel(spec, p);
        SgdSettings sgd = new SgdSettings(0.1, 0.9, 0.01);
        try (Model m = backend().build(spec, p, options())) {
            for (int s = 0; s < 5; s++) {
                FloatTensor x = inputs(100 + s, 16, 6);
                int[] y = labels(200 + s, 16, 3);
                double refLoss = ref.step(x, y, sgd);
                StepResult r = m.step(x, y, sgd);
                assertThat(r.samples()).isEqualTo(16);
                assertThat(r.loss()).as("loss of step %d", s).isCloseTo(refLoss, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, refLoss)));
            }
            assertClose(m.parameters(), ref.parameters());
        }
    }

    @Test
    void plainSgdStepEqualsTheReferenceAndReportsAccuracy() {
        ModelSpec spec = mlp(new int[] {4}, 5);
        Parameters p = Initializer.initialize(spec, 5);
        ReferenceModel ref = new ReferenceModel(spec, p);
        FloatTensor x = inputs(7, 10, 4);
        int[] y = labels(8, 10, 3);
        Map<String, FloatTensor> before = ref.activations(x);
        float[] logits = before.get("output").data();
        int correct = 0;
        for (int i = 0; i < 10; i++) {
            int arg = 0;
            for (int c = 1; c < 3; c++) {
                arg = logits[i * 3 + c] > logits[i * 3 + arg] ? c : arg;
            }
            correct += arg == y[i] ? 1 : 0;
        }
        ref.step(x, y, SgdSettings.plain(0.5));
        try (Model m = backend().build(spec, p, options())) {
            StepResult r = m.step(x, y, SgdSettings.plain(0.5));
            assertThat(r.correct()).isEqualTo(correct);
            assertClose(m.parameters(), ref.parameters());
        }
    }

    @Test
    void resetOptimizerStateRestartsMomentum() {
        ModelSpec spec = mlp(new int[] {4}, 5);
        Parameters p = Initializer.initialize(spec, 6);
        ReferenceModel ref = new ReferenceModel(spec, p);
        SgdSettings sgd = new SgdSettings(0.05, 0.9, 0);
        try (Model m = backend().build(spec, p, options())) {
            for (int s = 0; s < 4; s++) {
                if (s == 2) {
                    ref.resetOptimizerState();
                    m.resetOptimizerState();
                }
                FloatTensor x = inputs(300 + s, 8, 4);
                int[] y = labels(400 + s, 8, 3);
                ref.step(x, y, sgd);
                m.step(x, y, sgd);
            }
            assertClose(m.parameters(), ref.parameters());
        }
    }

    @Test
    void parametersRoundTripInTheCanonicalLayout() {
        ModelSpec spec = mlp(new int[] {5}, 4);
        Parameters p = Initializer.initialize(spec, 21);
        Parameters q = Initializer.initialize(spec, 22);
        try (Model m = backend().build(spec, p, options())) {
            assertThat(m.parameters()).isEqualTo(p);
            assertThat(m.parameters().get("dense1.weight").shape()).containsExactly(4, 5);
            m.setParameters(q);
            assertThat(m.parameters()).isEqualTo(q);
            FloatTensor x = inputs(9, 3, 5);
            assertClose(m.activations(x, List.of("output")).get("output"),
                    new ReferenceModel(spec, q).activations(x).get("output"), "output after setParameters");
        }
    }

    @Test
    void sameStartSameBatchesGiveBitIdenticalResults() {
        ModelSpec spec = mlp(new int[] {6}, 8, 4);
        Parameters p = Initializer.initialize(spec, 31);
        List<Parameters> results = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (Model m = backend().build(spec, p, options())) {
                for (int s = 0; s < 20; s++) {
                    m.step(inputs(500 + s, 16, 6), labels(600 + s, 16, 3), new SgdSettings(0.1, 0.5, 1e-3));
                }
                results.add(m.parameters());
            }
        }
        assertThat(results.get(0)).isEqualTo(results.get(1));
    }

    @Test
    void independentModelsTrainConcurrentlyOnTheirOwnThreads() throws Exception {
        // Sweeps run several models at once, one per worker thread.
        ModelSpec spec = mlp(new int[] {6}, 8, 4);
        Parameters p = Initializer.initialize(spec, 41);
        Callable<Parameters> train = () -> {
            try (Model m = backend().build(spec, p, options())) {
                for (int s = 0; s < 200; s++) {
                    m.step(inputs(700 + s % 10, 16, 6), labels(800 + s % 10, 16, 3), new SgdSettings(0.1, 0.5, 1e-3));
                    if (s % 50 == 0) {
                        m.activations(inputs(1, 4, 6), List.of("hidden2"));
                    }
                }
                return m.parameters();
            }
        };
        Parameters sequential = train.call();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Parameters>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(pool.submit(train));
            }
            for (Future<Parameters> r : runs) {
                assertThat(r.get()).isEqualTo(sequential);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Steps of the replica checks: enough for momentum and weight decay to matter (the issue asks 200). */
    private static final int REPLICA_STEPS = 200;

    /** Three replicas' SGD settings: they may differ within a group; only shapes must match. */
    private static final List<SgdSettings> REPLICA_SGD = List.of(new SgdSettings(0.05, 0.9, 1e-3), SgdSettings.plain(0.1),
            new SgdSettings(0.02, 0.5, 0));

    /**
     * Replicas trained together end where single models trained alone do, each with its own start,
     * batches and settings: parameters after {@value #REPLICA_STEPS} steps and activations within
     * {@link #tolerance()} (a batched computation may only reassociate float sums). Checked on a
     * multilayer perceptron (the networks backends batch) and on the first convolutional model the
     * backend builds.
     */
    @Test
    void replicasTrainExactlyAsSingleModels() {
        List<ModelSpec> specs = new ArrayList<>(List.of(mlp(new int[] {6}, 8, 5)));
        convolutionalZoo().values().stream().filter(s -> backend().supportedLayerKinds().containsAll(s.layerKinds())).findFirst()
                .ifPresent(specs::add);
        for (ModelSpec spec : specs) {
            int steps = spec.inputShape().length == 1 ? REPLICA_STEPS : 20;
            List<Parameters> initial = List.of(Initializer.initialize(spec, 11), Initializer.initialize(spec, 12),
                    Initializer.initialize(spec, 13));
            List<Model> singles = new ArrayList<>();
            try (ReplicaGroup group = backend().buildReplicas(spec, initial, options())) {
                for (Parameters p : initial) {
                    singles.add(backend().build(spec, p, options()));
                }
                assertThat(group.size()).isEqualTo(3);
                for (int step = 0; step < steps; step++) {
                    List<ReplicaGroup.ReplicaBatch> batches = new ArrayList<>();
                    for (int r = 0; r < 3; r++) {
                        batches.add(new ReplicaGroup.ReplicaBatch(r, inputs(1000L * r + step, 8, spec.inputShape()),
                                labels(5000L * r + step, 8, 3), REPLICA_SGD.get(r)));
                    }
                    List<StepResult> together = group.step(batches);
                    for (int r = 0; r < 3; r++) {
                        ReplicaGroup.ReplicaBatch b = batches.get(r);
                        StepResult alone = singles.get(r).step(b.inputs(), b.labels(), b.sgd());
                        assertThat(together.get(r).correct()).as("%s replica %d step %d: correct", spec.id(), r, step)
                                .isCloseTo(alone.correct(), org.assertj.core.data.Offset.offset(1));
                    }
                }
                FloatTensor probe = inputs(77, 5, spec.inputShape());
                List<Map<String, FloatTensor>> acts = group.activations(List.of(new ReplicaGroup.ReplicaInputs(2, probe),
                        new ReplicaGroup.ReplicaInputs(0, probe)), List.of("output"));
                for (int r = 0; r < 3; r++) {
                    assertClose(group.parameters(r), singles.get(r).parameters());
                }
                assertClose(acts.get(0).get("output"), singles.get(2).activations(probe, List.of("output")).get("output"), "replica 2 output");
                assertClose(acts.get(1).get("output"), singles.get(0).activations(probe, List.of("output")).get("output"), "replica 0 output");
            } finally {
                singles.forEach(Model::close);
            }
        }
    }

    /**
     * A replica whose loss blows up (lr 1e30) is left out of later steps and stops changing, and its
     * group-mates train exactly as they would alone: a diverged run never disturbs the others.
     */
    @Test
    void aDivergedReplicaLeavesItsGroupMatesAlone() {
        ModelSpec spec = mlp(new int[] {6}, 8, 5);
        List<Parameters> initial = List.of(Initializer.initialize(spec, 21), Initializer.initialize(spec, 22),
                Initializer.initialize(spec, 23));
        List<SgdSettings> sgd = List.of(REPLICA_SGD.get(0), SgdSettings.plain(1e30), REPLICA_SGD.get(2));
        List<Model> singles = new ArrayList<>();
        try (ReplicaGroup group = backend().buildReplicas(spec, initial, options())) {
            for (int r : new int[] {0, 2}) {
                singles.add(backend().build(spec, initial.get(r), options()));
            }
            boolean diverged = false;
            Parameters frozen = null;
            for (int step = 0; step < 40; step++) {
                List<ReplicaGroup.ReplicaBatch> batches = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    if (r == 1 && diverged) {
                        continue; // what the run loop does once a replica diverged
                    }
                    batches.add(new ReplicaGroup.ReplicaBatch(r, inputs(100L * r + step, 8, 6), labels(700L * r + step, 8, 3), sgd.get(r)));
                }
                List<StepResult> results = group.step(batches);
                // the run loop's rule in short: a loss far above the untrained network's (about ln 3), or not finite
                if (!diverged && !(results.get(1).loss() < 1e3)) {
                    diverged = true;
                    frozen = group.parameters(1);
                }
                for (int i = 0; i < 2; i++) {
                    ReplicaGroup.ReplicaBatch b = batches.get(i == 0 ? 0 : batches.size() - 1);
                    singles.get(i).step(b.inputs(), b.labels(), b.sgd());
                }
            }
            assertThat(diverged).as("lr 1e30 makes the loss blow up within 40 steps").isTrue();
            assertThat(group.parameters(1)).as("a replica left out does not change").isEqualTo(frozen);
            assertClose(group.parameters(0), singles.get(0).parameters());
            assertClose(group.parameters(2), singles.get(1).parameters());
        } finally {
            singles.forEach(Model::close);
        }
    }

    @Test
    void rejectsWrongInputShapesLabelsAndLayers() {
        ModelSpec spec = mlp(new int[] {6}, 4);
        try (Model m = backend().build(spec, Initializer.initialize(spec, 1), options())) {
            assertThatThrownBy(() -> m.step(inputs(1, 4, 5), labels(1, 4, 3), SgdSettings.plain(0.1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[5]").hasMessageContaining("[6]");
            assertThatThrownBy(() -> m.step(inputs(1, 4, 6), new int[] {0, 1, 2}, SgdSettings.plain(0.1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.step(inputs(1, 2, 6), new int[] {0, 3}, SgdSettings.plain(0.1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3");
            assertThatThrownBy(() -> m.activations(inputs(1, 2, 6), List.of("nope")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> m.setParameters(Initializer.initialize(mlp(new int[] {6}, 5), 1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectsLayerKindsItDoesNotClaim() {
        ModelSpec spec = mlp(new int[] {2, 2}, 3);
        assumeThat(backend().supportedLayerKinds()).as("backend claims every kind of the test model")
                .doesNotContainAnyElementsOf(List.of("flatten", "tanh"));
        assertThatThrownBy(() -> backend().build(spec, Initializer.initialize(spec, 1), options()))
                .isInstanceOf(UnsupportedLayerException.class);
    }

    @Test
    void closeIsIdempotentAndAClosedModelRefusesWork() {
        ModelSpec spec = mlp(new int[] {3}, 2);
        Model m = backend().build(spec, Initializer.initialize(spec, 1), options());
        m.close();
        m.close();
        assertThatThrownBy(() -> m.step(inputs(1, 2, 3), labels(1, 2, 3), SgdSettings.plain(0.1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void buildStepCloseCyclesDoNotGrowNativeMemory() {
        // Large enough that leaking any per-cycle tensor (the 64 KiB batch, the 512 KiB hidden
        // activations, ~0.6 MiB of parameters and as much again of gradients) shows clearly.
        ModelSpec spec = mlp(new int[] {64}, 512, 256);
        Parameters p = Initializer.initialize(spec, 2);
        FloatTensor x = inputs(3, 256, 64);
        int[] y = labels(4, 256, 3);
        Runnable cycle = () -> {
            try (Model m = backend().build(spec, p, options())) {
                m.step(x, y, new SgdSettings(0.1, 0.9, 1e-4));
                m.activations(x, List.of("hidden1"));
            }
        };
        assumeThat(holdsNativeMemory()).as("the backend holds no native memory").isTrue();
        Runtime rt = Runtime.getRuntime();
        assumeThat(rt.totalMemory()).as("this check needs a fixed, pre-touched heap so that resident memory shows native "
                + "memory: run the kit with -Xms equal to -Xmx and -XX:+AlwaysPreTouch").isEqualTo(rt.maxMemory());
        for (int i = 0; i < leakCheckWarmUpCycles(); i++) {
            cycle.run(); // warm up the JIT and the native allocators
        }
        // Native allocators keep freed memory for reuse, so resident memory fluctuates without
        // any leak. A leak shows as a trend: compare the lowest reading of the last four rounds
        // with the lowest of the first four, 400 cycles apart; 1,000 cycles in all.
        long[] readings = new long[8];
        for (int round = 0; round < readings.length; round++) {
            for (int i = 0; i < 100; i++) {
                cycle.run();
            }
            System.gc();
            readings[round] = nativeResidentKib();
        }
        assumeThat(readings[0]).as("resident memory is readable on this OS").isPositive();
        long early = Math.min(Math.min(readings[0], readings[1]), Math.min(readings[2], readings[3]));
        long late = Math.min(Math.min(readings[4], readings[5]), Math.min(readings[6], readings[7]));
        // Leaking even the smallest per-cycle tensor (64 KiB) would add 25 MiB over 400 cycles.
        assertThat(late - early).as("native memory trend in KiB over 400 cycles; readings %s", Arrays.toString(readings))
                .isLessThan(16 * 1024);
    }

    /** Resident memory outside the JVM's heap and metaspace: what native code holds. */
    private static long nativeResidentKib() {
        var mem = ManagementFactory.getMemoryMXBean();
        long jvmKib = (mem.getHeapMemoryUsage().getCommitted() + mem.getNonHeapMemoryUsage().getCommitted()) / 1024;
        long rss = processResidentKib();
        return rss < 0 ? -1 : rss - jvmKib;
    }

    private static long processResidentKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
