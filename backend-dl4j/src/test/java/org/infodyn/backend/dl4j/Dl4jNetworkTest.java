package org.infodyn.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.random.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/** The claims the backend's design rests on, checked against DL4J itself. */
class Dl4jNetworkTest {
    private static final ModelSpec SPEC = new ModelSpec("mlp", new int[] {2, 3}, List.of(new Flatten("flatten"),
            new Dense("dense1", 5), new Activation("hidden1", Activation.Function.RELU),
            new Dense("dense2", 4), new Activation("hidden2", Activation.Function.TANH), new Dense("output", 3)));

    @BeforeAll
    static void loadNatives() {
        Dl4jRuntime.load(); // before any other ND4J use, so its settings apply as in production
    }

    private static Dl4jNetwork network(org.deeplearning4j.nn.conf.MultiLayerConfiguration conf, Parameters values) {
        Dl4jNetwork net = new Dl4jNetwork(conf);
        net.init();
        net.initGradientsView();
        Matrices.write(net.params(), ParameterLayout.flatten(SPEC, values));
        return net;
    }

    private static INDArray matrix(long seed, int rows, int cols) {
        Rng rng = new Rng(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        INDArray a = Matrices.detached(rows, cols);
        Matrices.write(a, v);
        return a;
    }

    @Test
    void canonicalParametersAreWhatDl4jsOwnAccessorsSee() {
        Parameters p = Initializer.initialize(SPEC, 7);
        NetworkPlan plan = NetworkPlan.of(SPEC);
        Dl4jNetwork net = network(plan.configuration(), p);
        ParameterLayout.verify(SPEC, net);
        for (String dense : List.of("dense1", "dense2", "output")) {
            float[] weight = p.get(dense + ".weight").data(); // canonical [out, in], row-major
            float[] bias = p.get(dense + ".bias").data();
            INDArray w = NetworkPlan.layersByName(net).get(dense).getParam("W"); // DL4J's [in, out]
            INDArray b = NetworkPlan.layersByName(net).get(dense).getParam("b");
            int in = (int) w.size(0);
            int out = (int) w.size(1);
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    assertThat(w.getFloat(i, o)).as("%s W[%d, %d]", dense, i, o).isEqualTo(weight[o * in + i]);
                }
                assertThat(b.getFloat(o)).as("%s b[%d]", dense, o).isEqualTo(bias[o]);
            }
        }
        assertThat(ParameterLayout.unflatten(SPEC, Matrices.read(net.params()))).isEqualTo(p);
    }

    @Test
    void theLeanerDenseLayerGivesBitIdenticalGradientsToDl4jsDenseLayer() {
        Parameters p = Initializer.initialize(SPEC, 8);
        NeuralNetConfiguration.ListBuilder stock = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .updater(new NoOp()).weightInit(WeightInit.ZERO).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(org.nd4j.linalg.activations.Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(org.nd4j.linalg.activations.Activation.IDENTITY).build());
        Dl4jNetwork reference = network(stock.build(), p);
        Dl4jNetwork lean = network(NetworkPlan.of(SPEC).configuration(), p);
        INDArray x = matrix(1, 9, 6);
        INDArray lossGradient = matrix(2, 9, 3);
        float[][] logits = new float[2][27];
        reference.computeGradient(x, out -> {
            Matrices.readRowMajor(out, logits[0]);
            return lossGradient;
        });
        lean.computeGradient(x, out -> {
            Matrices.readRowMajor(out, logits[1]);
            return lossGradient;
        });
        assertThat(logits[1]).containsExactly(logits[0]);
        assertThat(Matrices.read(lean.getFlattenedGradients())).containsExactly(Matrices.read(reference.getFlattenedGradients()));
    }
}
