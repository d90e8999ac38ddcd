/*
 * cnn-small or resnet18-cifar trained with DJL's own API, as DJL's documentation recommends (a
 * SequentialBlock, ParallelBlock for a residual sum, a Trainer with softmax cross-entropy and plain
 * SGD, GradientCollector + Trainer.step): the "direct use" reference infodyn's DJL backend is
 * compared with (bench/run.sh --images).
 *
 *   java -cp 'cli/target/dist/lib/*' bench/direct/DjlDirect.java MODEL STEPS REPEATS [BATCH]
 *
 * resnet18-cifar as infodyn's and bench/pytorch_reference.py's: 3x3 stem conv (64) → batch norm →
 * ReLU; four stages of two residual blocks (64, 128, 256, 512 channels, stride 2 at the first
 * block of stages 2-4), each conv-bn-relu-conv-bn plus an identity or 1x1 conv-bn projection
 * shortcut, then ReLU; global average pool; dense 10; 3×32×32 inputs.
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
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

public class DjlDirect {
    public static void main(String[] args) throws Exception {
        String modelId = args[0];
        int steps = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        boolean resnet = switch (modelId) {
            case "cnn-small" -> false;
            case "resnet18-cifar" -> true;
            default -> throw new IllegalArgumentException("MODEL: cnn-small or resnet18-cifar, not " + modelId);
        };
        Shape sample = resnet ? new Shape(3, 32, 32) : new Shape(1, 28, 28);
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        if (System.getenv("ENGINE_CACHE_DIR") == null) {
            String cache = Path.of(System.getProperty("user.home"), ".cache", "infodyn", "djl").toString();
            System.setProperty("ENGINE_CACHE_DIR", cache);
            System.setProperty("DJL_CACHE_DIR", cache);
        }
        SequentialBlock net = resnet ? resnet18() : cnnSmall();
        try (Model model = Model.newInstance(modelId, "PyTorch")) {
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch).addAll(sample));
                // batches live in Java memory and are copied in per step, as a DJL Dataset hands them over
                java.util.Random rnd = new java.util.Random(0);
                List<float[]> xs = new ArrayList<>();
                List<long[]> ys = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    float[] x = new float[batch * (int) sample.size()];
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
                for (int i = 0; i < (resnet ? 3 : 20); i++) {
                    step(trainer, m, xs.get(i % 8), ys.get(i % 8), sample);
                }
                double[] us = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        step(trainer, m, xs.get(i % 8), ys.get(i % 8), sample);
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

    /** conv 3x3 pad 1 → ReLU → max-pool 2, 32 then 64 channels; dense 128 → ReLU; 10 outputs. */
    private static SequentialBlock cnnSmall() {
        SequentialBlock net = new SequentialBlock();
        for (int filters : new int[] {32, 64}) {
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build())
                    .add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        net.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(128).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
        return net;
    }

    private static Block conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding)).setFilters(filters).build();
    }

    /** conv-bn-relu-conv-bn plus the shortcut (identity, or a 1x1 conv-bn projection when the shape changes), then ReLU. */
    private static Block residual(int in, int out, int stride) {
        SequentialBlock body = new SequentialBlock().add(conv(out, 3, stride, 1)).add(BatchNorm.builder().build())
                .add(Activation::relu).add(conv(out, 3, 1, 1)).add(BatchNorm.builder().build());
        Block shortcut = stride != 1 || in != out
                ? new SequentialBlock().add(conv(out, 1, stride, 0)).add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                        Arrays.asList(body, shortcut)))
                .add(Activation::relu);
    }

    private static SequentialBlock resnet18() {
        SequentialBlock net = new SequentialBlock().add(conv(64, 3, 1, 1)).add(BatchNorm.builder().build()).add(Activation::relu);
        int in = 64;
        for (int stage = 0; stage < 4; stage++) {
            int out = 64 << stage;
            for (int j = 0; j < 2; j++) {
                net.add(residual(in, out, stage > 0 && j == 0 ? 2 : 1));
                in = out;
            }
        }
        return net.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(10).build());
    }

    /** One SGD step; every array of the step lives in a sub-manager closed at its end (as EasyTrain's batches do). */
    private static void step(Trainer trainer, NDManager m, float[] x, long[] y, Shape sample) {
        try (NDManager sub = m.newSubManager()) {
            NDList in = new NDList(sub.create(x, new Shape(y.length).addAll(sample)));
            NDList labels = new NDList(sub.create(y, new Shape(y.length)));
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(in);
                NDArray loss = trainer.getLoss().evaluate(labels, pred);
                gc.backward(loss);
            }
            trainer.step();
        }
    }
}
