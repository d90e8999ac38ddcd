/*
 * cnn-small trained with DJL's own API, as DJL's documentation recommends (a SequentialBlock,
 * a Trainer with softmax cross-entropy and plain SGD, GradientCollector + Trainer.step): the
 * "direct use" reference infodyn's DJL backend is compared with (bench/run.sh --images).
 *
 *   java -cp 'cli/target/dist/lib/*' bench/direct/DjlCnnSmall.java STEPS REPEATS [BATCH]
 *
 * Same network as infodyn's cnn-small and bench/pytorch_reference.py (conv 3x3 pad 1 → ReLU →
 * max-pool 2, 32 then 64 channels; dense 128 → ReLU; 10 outputs), 1×28×28 random inputs from a
 * pool of 8 batches (copied in at every step, as infodyn's batches are), lr 0.05, one PyTorch thread. Prints JSON in pytorch_reference.py's format.
 * Offline: the PyTorch natives come from the folder infodyn unpacked them to (ENGINE_CACHE_DIR,
 * default ~/.cache/infodyn/djl).
 */
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

public class DjlCnnSmall {
    public static void main(String[] args) throws Exception {
        int steps = Integer.parseInt(args[0]);
        int repeats = Integer.parseInt(args[1]);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        if (System.getenv("ENGINE_CACHE_DIR") == null) {
            String cache = Path.of(System.getProperty("user.home"), ".cache", "infodyn", "djl").toString();
            System.setProperty("ENGINE_CACHE_DIR", cache);
            System.setProperty("DJL_CACHE_DIR", cache);
        }
        SequentialBlock net = new SequentialBlock();
        for (int filters : new int[] {32, 64}) {
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build())
                    .add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        net.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(128).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
        try (Model model = Model.newInstance("cnn-small", "PyTorch")) {
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, 1, 28, 28));
                // batches live in Java memory and are copied in per step, as a DJL Dataset hands them over
                java.util.Random rnd = new java.util.Random(0);
                List<float[]> xs = new ArrayList<>();
                List<long[]> ys = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    float[] x = new float[batch * 28 * 28];
                    long[] y = new long[batch];
                    for (int j = 0; j < x.length; j++) {
                        x[j] = (float) rnd.nextGaussian();
                    }
                    for (int j = 0; j < batch; j++) {
                        y[j] = rnd.nextInt(10);
                    }
                    xs.add(x);
                    ys.add(y);
                }
                NDManager m = trainer.getManager();
                for (int i = 0; i < 20; i++) {
                    step(trainer, m, xs.get(i % 8), ys.get(i % 8), batch);
                }
                double[] us = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        step(trainer, m, xs.get(i % 8), ys.get(i % 8), batch);
                    }
                    us[r] = (System.nanoTime() - t0) / 1e3 / steps;
                }
                Arrays.sort(us);
                double med = us[repeats / 2];
                System.out.printf("{\"step\": {\"%d\": {\"median_us\": %.1f, \"min_us\": %.1f, \"max_us\": %.1f, \"images_per_s\": %.1f}}}%n",
                        batch, med, us[0], us[repeats - 1], batch / (med * 1e-6));
            }
        }
    }

    /** One SGD step; every array of the step lives in a sub-manager closed at its end (as EasyTrain's batches do). */
    private static void step(Trainer trainer, NDManager m, float[] x, long[] y, int batch) {
        try (NDManager sub = m.newSubManager()) {
            NDList in = new NDList(sub.create(x, new Shape(batch, 1, 28, 28)));
            NDList labels = new NDList(sub.create(y, new Shape(batch)));
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(in);
                NDArray loss = trainer.getLoss().evaluate(labels, pred);
                gc.backward(loss);
            }
            trainer.step();
        }
    }
}
