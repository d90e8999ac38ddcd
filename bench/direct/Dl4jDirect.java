/*
 * cnn-small trained with Deeplearning4j's own API, as its documentation builds a network (a
 * MultiLayerConfiguration of ConvolutionLayer, SubsamplingLayer, DenseLayer and OutputLayer;
 * MultiLayerNetwork.fit on one mini-batch per step, plain Sgd): the "direct use" reference
 * infodyn's DL4J backend is compared with (bench/run.sh --images).
 *
 *   java -cp 'cli/target/dist/lib/*' bench/direct/Dl4jDirect.java MODEL STEPS REPEATS [BATCH]
 *
 * MODEL: cnn-small (resnet18-cifar is not written for this library yet: exit code 3, which
 * bench/run.sh reads as "no direct reference").
 *
 * Same network as infodyn's cnn-small, DjlDirect.java, TfDirect.java and
 * bench/pytorch_reference.py (conv 3x3 pad 1 → ReLU → max-pool 2, 32 then 64 channels; dense
 * 128 → ReLU; 10 outputs, softmax cross-entropy), NCHW, 1×28×28 random inputs from a pool of 8
 * batches in Java memory, copied into new arrays at every step (as infodyn's batches are), lr
 * 0.05, one ND4J and one OpenBLAS thread. Prints JSON in pytorch_reference.py's format.
 *
 * Process settings as infodyn's DL4J backend makes them (they are JavaCPP's and ND4J's own
 * switches, not infodyn code, so the comparison measures infodyn's layers and step, not them):
 * natives from the folder infodyn unpacked them to (~/.cache/infodyn/javacpp, offline), and
 * org.bytedeco.javacpp.maxPhysicalBytes=0 (without it JavaCPP measures the process's resident
 * memory at every native allocation, about half of a step here). Pass -Ddirect.stock=true to
 * keep JavaCPP's default instead.
 */
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

public class Dl4jDirect {
    public static void main(String[] args) {
        if (!args[0].equals("cnn-small")) {
            System.err.println("MODEL: only cnn-small is written for this library, not " + args[0]);
            System.exit(3);
        }
        int steps = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir",
                    Path.of(System.getProperty("user.home"), ".cache", "infodyn", "javacpp").toString());
        }
        if (!Boolean.getBoolean("direct.stock")) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(0)
                .updater(new Sgd(0.05))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).padding(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).padding(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        Random rnd = new Random(0);
        List<float[]> xs = new ArrayList<>();
        List<float[]> ys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            float[] x = new float[batch * 28 * 28];
            float[] y = new float[batch * 10];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) rnd.nextGaussian();
            }
            for (int j = 0; j < batch; j++) {
                y[j * 10 + rnd.nextInt(10)] = 1;
            }
            xs.add(x);
            ys.add(y);
        }
        for (int i = 0; i < 20; i++) {
            step(net, xs.get(i % 8), ys.get(i % 8), batch);
        }
        double[] us = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step(net, xs.get(i % 8), ys.get(i % 8), batch);
            }
            us[r] = (System.nanoTime() - t0) / 1e3 / steps;
        }
        Arrays.sort(us);
        double med = us[repeats / 2];
        System.out.printf("{\"step\": {\"%d\": {\"median_us\": %.1f, \"min_us\": %.1f, \"max_us\": %.1f, \"images_per_s\": %.1f}}}%n",
                batch, med, us[0], us[repeats - 1], batch / (med * 1e-6));
    }

    /** One SGD step on one mini-batch, copied from Java memory into new arrays (as a DataSetIterator hands them over). */
    private static void step(MultiLayerNetwork net, float[] x, float[] y, int batch) {
        INDArray features = Nd4j.create(x, new long[] {batch, 1, 28, 28});
        INDArray labels = Nd4j.create(y, new long[] {batch, 10});
        net.fit(features, labels);
        features.close();
        labels.close();
    }
}
