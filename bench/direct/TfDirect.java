/*
 * cnn-small trained with TensorFlow Java's own graph API, the way its documentation builds a
 * training graph (Ops, variables with initialisers, tf.gradients, ApplyGradientDescent, one
 * Session.run per step feeding the batch): the "direct use" reference infodyn's TF backend is
 * compared with (bench/run.sh --images).
 *
 *   java -cp 'cli/target/dist/lib/*' bench/direct/TfDirect.java MODEL STEPS REPEATS [BATCH]
 *
 * MODEL: cnn-small (resnet18-cifar is not written for this library yet: exit code 3, which
 * bench/run.sh reads as "no direct reference").
 *
 * Same network as infodyn's cnn-small, DjlDirect.java and bench/pytorch_reference.py (conv 3x3
 * 'SAME' → ReLU → max-pool 2, 32 then 64 channels; dense 128 → ReLU; 10 outputs), NHWC (TF's CPU
 * layout), 28×28×1 random inputs from a pool of 8 batches in Java memory, copied into a new
 * tensor at every step (as infodyn's batches are, and DjlDirect's), softmax cross-entropy on one-hot labels, plain SGD with lr 0.05, one intra-op and one
 * inter-op thread. Prints JSON in pytorch_reference.py's format.
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

public class TfDirect {
    public static void main(String[] args) {
        if (!args[0].equals("cnn-small")) {
            System.err.println("MODEL: only cnn-small is written for this library, not " + args[0]);
            System.exit(3);
        }
        int steps = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, 28, 28, 1)));
            Placeholder<TInt32> y = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(batch)));
            List<Variable<TFloat32>> vars = new ArrayList<>();
            Operand<TFloat32> h = x;
            long in = 1;
            for (long filters : new long[] {32, 64}) {
                Variable<TFloat32> w = weights(tf, vars, Shape.of(3, 3, in, filters), 9 * in);
                Variable<TFloat32> b = tf.variable(tf.zeros(tf.constant(new long[] {filters}), TFloat32.class));
                vars.add(b);
                h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(h, w, List.of(1L, 1L, 1L, 1L), "SAME"), b));
                h = tf.nn.maxPool(h, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
                in = filters;
            }
            h = tf.reshape(h, tf.constant(new long[] {batch, 7 * 7 * 64}));
            h = dense(tf, vars, h, 7 * 7 * 64, 128, true);
            Operand<TFloat32> logits = dense(tf, vars, h, 128, 10, false);
            Operand<TFloat32> labels = tf.oneHot(y, tf.constant(10), tf.constant(1f), tf.constant(0f));
            Operand<TFloat32> loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss(), tf.constant(0));
            var grads = tf.gradients(loss, vars);
            List<Op> updates = new ArrayList<>();
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
                    float[] xb = new float[batch * 28 * 28];
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
                Shape xShape = Shape.of(batch, 28, 28, 1);
                for (int i = 0; i < 20; i++) {
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
            }
        }
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
