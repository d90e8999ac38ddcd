package org.infodyn.backend.dl4j;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.random.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Timing of one SGD step of the checkerboard example network (227 → 100 → 100 → 2 → 2, ReLU,
 * plain SGD at lr 0.05, float32, one intra-op thread) at batch 32 and 1,024, measured the way
 * {@code bench/pytorch_reference.py} measures PyTorch: a pool of 8 random ±1 batches used
 * round-robin, warm-up (longer than PyTorch's, see {@link #time}), then 5 repeats of N steps;
 * prints the median and minimum µs per step (wall clock, and the thread's CPU time, which is
 * steadier on a shared machine). The process-wide settings of the backend can be switched off
 * for comparison by presetting them, e.g.
 * {@code -Dshapeinfoprovider=org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider} (ND4J's own
 * provider) or {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes=64g} (JavaCPP's check on).
 *
 * <p>Not a test: it asserts nothing and is skipped unless {@code -Dinfodyn.timing=true}. Run it
 * beside the PyTorch reference, back to back (the machine is shared and noisy):
 * <pre>
 * mvn -o -q -pl backend-dl4j test -Dtest=Dl4jStepTiming -Dinfodyn.timing=true
 * OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/pytorch_reference.py --steps 1000 --repeats 5
 * </pre>
 * and read {@code backend-dl4j/target/surefire-reports/*Dl4jStepTiming-output.txt}. With
 * {@code -Dinfodyn.timing.naive=true} it times instead the plain DL4J loop this backend replaces
 * ({@code fit()} with an output layer and DL4J's {@code Sgd} updater, none of the backend's
 * settings); that must run in its own JVM, because the backend's settings are process-wide.
 * {@code -Dinfodyn.timing.steps} changes N (default 1,000; batch 1,024 uses a tenth),
 * {@code -Dinfodyn.timing.warmup} the minimum warm-up in seconds (default 20, a quarter of it for
 * batch 1,024).
 */
@EnabledIfSystemProperty(named = "infodyn.timing", matches = "true")
class Dl4jStepTiming {
    private static final int[] WIDTHS = {227, 100, 100, 2, 2};
    private static final int POOL = 8;
    private static final int REPEATS = 5;

    private record Batches(FloatTensor[] inputs, int[][] labels) {
    }

    private static Batches batches(int batch) {
        Rng rng = new Rng(batch);
        FloatTensor[] xs = new FloatTensor[POOL];
        int[][] ys = new int[POOL][batch];
        for (int i = 0; i < POOL; i++) {
            float[] x = new float[batch * WIDTHS[0]];
            for (int j = 0; j < x.length; j++) {
                x[j] = rng.nextGaussian() < 0 ? -1f : 1f;
            }
            xs[i] = FloatTensor.matrix(batch, WIDTHS[0], x);
            for (int j = 0; j < batch; j++) {
                ys[i][j] = rng.nextInt(2);
            }
        }
        return new Batches(xs, ys);
    }

    private static ModelSpec checkerboardMlp() {
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 1; i < WIDTHS.length - 1; i++) {
            layers.add(new Dense("dense" + i, WIDTHS[i]));
            layers.add(new Activation("hidden" + i, Activation.Function.RELU));
        }
        layers.add(new Dense("output", WIDTHS[WIDTHS.length - 1]));
        return new ModelSpec("mlp", new int[] {WIDTHS[0]}, layers);
    }

    /**
     * Runs {@code step(i)} for warm-up, then times REPEATS × steps; returns a report line. The
     * warm-up lasts at least {@code warmupSeconds}: DL4J's and ND4J's code paths are large, and
     * the JIT compiler keeps optimising them for seconds (PyTorch's eager loop has no such phase).
     */
    private static String time(String what, int batch, int steps, double warmupSeconds, IntConsumer step) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < Math.max(200, steps / 2) || System.nanoTime() < warmupEnd; i++) {
            step.accept(i);
        }
        double[] wall = new double[REPEATS];
        double[] cpu = new double[REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step.accept(i);
            }
            wall[r] = (System.nanoTime() - t0) / 1e3 / steps;
            cpu[r] = (threads.getCurrentThreadCpuTime() - c0) / 1e3 / steps;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return String.format(Locale.ROOT, "%s, batch %5d: wall median %8.1f µs (min %8.1f), cpu median %8.1f µs (min %8.1f)   [%d × %d steps]%n",
                what, batch, wall[REPEATS / 2], wall[0], cpu[REPEATS / 2], cpu[0], REPEATS, steps);
    }

    private static String backend(int batch, int steps, double warmupSeconds) {
        ModelSpec spec = checkerboardMlp();
        Batches data = batches(batch);
        SgdSettings sgd = SgdSettings.plain(0.05);
        try (Model m = new Dl4jBackend().build(spec, Initializer.initialize(spec, 1), BuildOptions.cpu())) {
            return time("dl4j backend", batch, steps, warmupSeconds, i -> m.step(data.inputs()[i % POOL], data.labels()[i % POOL], sgd));
        }
    }

    /** The loop a DL4J user would write: fit() on a DataSet, output layer, DL4J's Sgd updater. */
    private static String naive(int batch, int steps, double warmupSeconds) {
        System.setProperty(Dl4jRuntime.CACHE_PROPERTY[0], Dl4jRuntime.defaultCacheDir());
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .updater(new Sgd(0.05)).list();
        for (int i = 1; i < WIDTHS.length - 1; i++) {
            list.layer(new DenseLayer.Builder().nIn(WIDTHS[i - 1]).nOut(WIDTHS[i])
                    .activation(org.nd4j.linalg.activations.Activation.RELU).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(WIDTHS[WIDTHS.length - 2])
                .nOut(WIDTHS[WIDTHS.length - 1]).activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        Batches data = batches(batch);
        DataSet[] sets = new DataSet[POOL];
        for (int i = 0; i < POOL; i++) {
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 2);
            for (int j = 0; j < batch; j++) {
                y.putScalar(j, data.labels()[i][j], 1f);
            }
            sets[i] = new DataSet(Nd4j.create(data.inputs()[i].data(), new long[] {batch, WIDTHS[0]}, 'c'), y);
        }
        return time("naive DL4J fit()", batch, steps, warmupSeconds, i -> {
            net.fit(sets[i % POOL]);
            net.score();
        });
    }

    @Test
    void timeOneSgdStep() {
        int steps = Integer.getInteger("infodyn.timing.steps", 1000);
        double warmup = Double.parseDouble(System.getProperty("infodyn.timing.warmup", "20"));
        boolean naive = Boolean.getBoolean("infodyn.timing.naive");
        StringBuilder out = new StringBuilder("checkerboard MLP " + Arrays.toString(WIDTHS) + ", plain SGD, float32, 1 thread, "
                + System.getProperty("java.vm.name") + " " + Runtime.version() + System.lineSeparator());
        for (int batch : new int[] {32, 1024}) {
            int n = batch == 32 ? steps : Math.max(1, steps / 10);
            // The first batch size pays for the JIT warm-up; the second reuses most compiled code.
            double w = batch == 32 ? warmup : warmup / 4;
            out.append(naive ? naive(batch, n, w) : backend(batch, n, w));
        }
        System.out.print(out);
    }
}
