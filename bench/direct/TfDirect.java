/*
 * cnn-small or resnet18-cifar trained with TensorFlow Java's own graph API, the way its
 * documentation builds a training graph (Ops, variables with initialisers, tf.gradients,
 * ApplyGradientDescent, one Session.run per step feeding the batch): the "direct use" reference
 * infodyn's TF backend is compared with (bench/run.sh --images).
 *
 *   java -cp 'cli/target/dist/lib/*' bench/direct/TfDirect.java MODEL STEPS REPEATS [BATCH]
 *
 * MODEL: cnn-small or resnet18-cifar (batch norm in float32, as TF users compute it; infodyn's
 * TF backend sums its statistics in float32 along image rows and in double beyond, for agreement
 * with the other backends). Max pooling through tf.nn.maxPool, as TF Java documents it (MaxPoolV2,
 * which oneDNN does not take; infodyn builds TF's MaxPool op, docs/DESIGN.md §12).
 *
 * Same network as infodyn's cnn-small, DjlDirect.java and bench/pytorch_reference.py (conv 3x3
 * 'SAME' → ReLU → max-pool 2, 32 then 64 channels; dense 128 → ReLU; 10 outputs), NHWC (TF's CPU
 * layout), 28×28×1 random inputs from a pool of 8 batches in Java memory, copied into a new
 * tensor at every step (as infodyn's batches are, and DjlDirect's), softmax cross-entropy on
 * one-hot labels, plain SGD with lr 0.05, one intra-op and one inter-op thread. Prints JSON in
 * pytorch_reference.py's format.
 */
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

public class TfDirect {
    public static void main(String[] args) {
        String modelId = args[0];
        boolean resnet = switch (modelId) {
            case "cnn-small" -> false;
            case "resnet18-cifar" -> true;
            default -> {
                System.err.println("MODEL: cnn-small or resnet18-cifar, not " + modelId);
                System.exit(3);
                yield false;
            }
        };
        int steps = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        Shape xShape = resnet ? Shape.of(batch, 32, 32, 3) : Shape.of(batch, 28, 28, 1);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(xShape));
            Placeholder<TInt32> y = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(batch)));
            List<Variable<TFloat32>> vars = new ArrayList<>();
            List<Op> statistics = new ArrayList<>(); // batch norm's running averages
            Operand<TFloat32> logits = resnet ? resnet18(tf, vars, statistics, x) : cnnSmall(tf, vars, x, batch);
            Operand<TFloat32> labels = tf.oneHot(y, tf.constant(10), tf.constant(1f), tf.constant(0f));
            Operand<TFloat32> loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss(), tf.constant(0));
            var grads = tf.gradients(loss, vars);
            List<Op> updates = new ArrayList<>(statistics);
            for (int i = 0; i < vars.size(); i++) {
                updates.add(tf.train.applyGradientDescent(vars.get(i), tf.constant(0.05f), grads.dy(i)));
            }
            Op train = tf.withControlDependencies(updates).noOp();
            ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1).build();
            try (Session s = new Session(g, config)) {
                s.initialize();
                Random rnd = new Random(0);
                List<float[]> xs = new ArrayList<>();
                List<int[]> ys = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    float[] xb = new float[(int) xShape.size()];
                    int[] yb = new int[batch];
                    for (int j = 0; j < xb.length; j++) {
                        xb[j] = (float) rnd.nextGaussian();
                    }
                    for (int n = 0; n < batch; n++) {
                        yb[n] = rnd.nextInt(10);
                    }
                    xs.add(xb);
                    ys.add(yb);
                }
                for (int i = 0; i < (resnet ? 3 : 20); i++) {
                    step(s, x, y, train, xShape, xs.get(i % 8), ys.get(i % 8));
                }
                double[] us = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        step(s, x, y, train, xShape, xs.get(i % 8), ys.get(i % 8));
                    }
                    us[r] = (System.nanoTime() - t0) / 1e3 / steps;
                }
                Arrays.sort(us);
                double med = us[repeats / 2];
                System.out.printf("{\"step\": {\"%d\": {\"median_us\": %.1f, \"min_us\": %.1f, \"max_us\": %.1f, \"images_per_s\": %.1f}}}%n",
                        batch, med, us[0], us[repeats - 1], batch / (med * 1e-6));
                if ("1".equals(System.getenv("PROFILE"))) {
                    profile(s, x, y, train, xShape, xs, ys);
                }
            }
        }
    }

    /** conv 3x3 'SAME' → ReLU → max-pool 2, 32 then 64 channels; dense 128 → ReLU; 10 outputs. */
    private static Operand<TFloat32> cnnSmall(Ops tf, List<Variable<TFloat32>> vars, Operand<TFloat32> x, int batch) {
        Operand<TFloat32> h = x;
        long in = 1;
        for (long filters : new long[] {32, 64}) {
            h = tf.nn.relu(conv(tf, vars, h, in, filters, 3, 1));
            h = tf.nn.maxPool(h, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
            in = filters;
        }
        h = tf.reshape(h, tf.constant(new long[] {batch, 7 * 7 * 64}));
        h = dense(tf, vars, h, 7 * 7 * 64, 128, true);
        return dense(tf, vars, h, 128, 10, false);
    }

    /**
     * resnet18-cifar as infodyn's and bench/pytorch_reference.py's: 3x3 stem conv (64) → batch
     * norm → ReLU; four stages of two residual blocks (64, 128, 256, 512 channels, stride 2 at
     * the first block of stages 2-4), conv-bn-relu-conv-bn plus an identity or 1x1 conv-bn
     * projection shortcut, then ReLU; global average pool; dense 10. 'SAME' padding throughout
     * (as TF users write it; cost as PyTorch's symmetric padding).
     */
    private static Operand<TFloat32> resnet18(Ops tf, List<Variable<TFloat32>> vars, List<Op> statistics, Operand<TFloat32> x) {
        Operand<TFloat32> h = tf.nn.relu(batchNorm(tf, vars, statistics, conv(tf, vars, x, 3, 64, 3, 1), 64));
        long in = 64;
        for (int stage = 0; stage < 4; stage++) {
            long out = 64L << stage;
            for (int j = 0; j < 2; j++) {
                long stride = stage > 0 && j == 0 ? 2 : 1;
                Operand<TFloat32> body = tf.nn.relu(batchNorm(tf, vars, statistics, conv(tf, vars, h, in, out, 3, stride), out));
                body = batchNorm(tf, vars, statistics, conv(tf, vars, body, out, out, 3, 1), out);
                Operand<TFloat32> shortcut = stride != 1 || in != out
                        ? batchNorm(tf, vars, statistics, conv(tf, vars, h, in, out, 1, stride), out) : h;
                h = tf.nn.relu(tf.math.add(body, shortcut));
                in = out;
            }
        }
        h = tf.math.mean(h, tf.constant(new int[] {1, 2}));
        return dense(tf, vars, h, in, 10, false);
    }

    /** Convolution with bias, 'SAME' padding, NHWC. */
    private static Operand<TFloat32> conv(Ops tf, List<Variable<TFloat32>> vars, Operand<TFloat32> h, long in, long out, long k, long stride) {
        Variable<TFloat32> w = weights(tf, vars, Shape.of(k, k, in, out), k * k * in);
        Variable<TFloat32> b = tf.variable(tf.zeros(tf.constant(new long[] {out}), TFloat32.class));
        vars.add(b);
        return tf.nn.biasAdd(tf.nn.conv2d(h, w, List.of(1L, stride, stride, 1L), "SAME"), b);
    }

    /** Training-mode batch norm over N, H, W in float32, with running averages (momentum 0.1) updated each step. */
    private static Operand<TFloat32> batchNorm(Ops tf, List<Variable<TFloat32>> vars, List<Op> statistics, Operand<TFloat32> h, long c) {
        Operand<TInt64> dims = tf.constant(new long[] {c});
        Variable<TFloat32> gamma = tf.variable(tf.fill(dims, tf.constant(1f)));
        Variable<TFloat32> beta = tf.variable(tf.fill(dims, tf.constant(0f)));
        vars.add(gamma);
        vars.add(beta);
        Variable<TFloat32> runningMean = tf.variable(tf.fill(dims, tf.constant(0f)));
        Variable<TFloat32> runningVar = tf.variable(tf.fill(dims, tf.constant(1f)));
        Operand<TInt32> axes = tf.constant(new int[] {0, 1, 2});
        Operand<TFloat32> mean = tf.math.mean(h, axes);
        Operand<TFloat32> centred = tf.math.sub(h, mean);
        Operand<TFloat32> var = tf.math.mean(tf.math.square(centred), axes);
        Operand<TFloat32> keep = tf.constant(0.9f);
        Operand<TFloat32> take = tf.constant(0.1f);
        statistics.add(tf.assign(runningMean, tf.math.add(tf.math.mul(keep, runningMean), tf.math.mul(take, tf.stopGradient(mean)))));
        statistics.add(tf.assign(runningVar, tf.math.add(tf.math.mul(keep, runningVar), tf.math.mul(take, tf.stopGradient(var)))));
        Operand<TFloat32> normalised = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(var, tf.constant(1e-5f))));
        return tf.math.add(tf.math.mul(normalised, gamma), beta);
    }

    /**
     * With {@code PROFILE=1}: TensorFlow's own per-op timings (a full trace of 3 steps, RunMetadata's
     * step stats), summed by op type, on stderr, largest first.
     */
    private static void profile(Session s, Placeholder<TFloat32> x, Placeholder<TInt32> y, Op train, Shape shape, List<float[]> xs,
            List<int[]> ys) {
        java.util.Map<String, long[]> byOp = new java.util.HashMap<>(); // op type -> {micros, count}
        long total = 0;
        for (int i = 0; i < 3; i++) {
            try (TFloat32 xt = TFloat32.tensorOf(shape, DataBuffers.of(xs.get(i), true, false)); TInt32 yt = TInt32.vectorOf(ys.get(i));
                    org.tensorflow.Result r = s.runner().feed(x, xt).feed(y, yt).addTarget(train)
                            .setOptions(org.tensorflow.proto.RunOptions.newBuilder()
                                    .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build())
                            .runAndFetchMetadata()) {
                for (var dev : r.getMetadata().orElseThrow().getStepStats().getDevStatsList()) {
                    for (var n : dev.getNodeStatsList()) {
                        String label = n.getTimelineLabel(); // "name = OpType(inputs)"
                        int eq = label.indexOf(" = ");
                        int paren = label.indexOf('(', Math.max(eq, 0));
                        String op = eq >= 0 && paren > eq ? label.substring(eq + 3, paren) : n.getNodeName();
                        long us = n.getOpEndRelMicros() - n.getOpStartRelMicros();
                        long[] acc = byOp.computeIfAbsent(op, k -> new long[2]);
                        acc[0] += us;
                        acc[1]++;
                        total += us;
                    }
                }
            }
        }
        long sum = total;
        System.err.printf("TensorFlow per-op time over 3 traced steps (sum of op times %.1f ms per step):%n", sum / 3e3);
        byOp.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(15).forEach(e ->
                System.err.printf("  %-32s %8.1f ms per step  %5.1f %%  (%d ops)%n", e.getKey(), e.getValue()[0] / 3e3,
                        100.0 * e.getValue()[0] / sum, e.getValue()[1] / 3));
    }

    /** One SGD step: the batch copied into tensors, fed, trained on, released. */
    private static void step(Session s, Placeholder<TFloat32> x, Placeholder<TInt32> y, Op train, Shape shape, float[] xb, int[] yb) {
        try (TFloat32 xt = TFloat32.tensorOf(shape, DataBuffers.of(xb, true, false)); TInt32 yt = TInt32.vectorOf(yb)) {
            s.runner().feed(x, xt).feed(y, yt).addTarget(train).run().close();
        }
    }

    /** He-initialised weights (fan-in {@code fanIn}), registered as trainable. */
    private static Variable<TFloat32> weights(Ops tf, List<Variable<TFloat32>> vars, Shape shape, long fanIn) {
        Operand<TFloat32> init = tf.math.mul(tf.random.truncatedNormal(tf.constant(shape.asArray()), TFloat32.class),
                tf.constant((float) Math.sqrt(2.0 / fanIn)));
        Variable<TFloat32> w = tf.variable(init);
        vars.add(w);
        return w;
    }

    private static Operand<TFloat32> dense(Ops tf, List<Variable<TFloat32>> vars, Operand<TFloat32> h, long in, long out, boolean relu) {
        Variable<TFloat32> w = weights(tf, vars, Shape.of(in, out), in);
        Variable<TFloat32> b = tf.variable(tf.zeros(tf.constant(new long[] {out}), TFloat32.class));
        vars.add(b);
        Operand<TFloat32> z = tf.math.add(tf.linalg.matMul(h, w), b);
        return relu ? tf.nn.relu(z) : z;
    }
}
