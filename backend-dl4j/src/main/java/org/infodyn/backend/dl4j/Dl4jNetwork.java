package org.infodyn.backend.dl4j;

import java.util.List;
import java.util.function.ObjIntConsumer;
import java.util.function.UnaryOperator;

import org.deeplearning4j.nn.api.FwdPassType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@code MultiLayerNetwork} with the two passes the model needs, both run by DL4J's own layers:
 * <ul>
 *   <li>{@link #computeGradient}: a training-mode forward pass and back-propagation of a loss
 *       gradient supplied from outside into DL4J's flat gradient vector. It is the sequence DL4J
 *       runs inside {@code computeGradientAndScore()} (activations kept in DL4J's
 *       {@code WS_ALL_LAYERS_ACT} workspace while backprop reads them) minus the output layer:
 *       with a loss layer DL4J would also compute its own score (a second softmax and a log-sum,
 *       thrown away because the api fixes how the loss is computed), in float32 where the step's
 *       own loss gradient is computed in double.
 *   <li>{@link #inferOutputs}: an inference-mode forward pass that hands over each layer's output
 *       as soon as it exists. DL4J's feed-forward list cannot be used for that: at inference its
 *       activation layers work in place, so the output listed for a dense layer is overwritten by
 *       the next layer's nonlinearity.
 * </ul>
 * Indices follow DL4J's feed-forward list: 0 is the input, {@code i + 1} the output of layer {@code i}.
 */
@SuppressWarnings("overrides") // DL4J's own doEvaluation signature mismatch, inherited
final class Dl4jNetwork extends MultiLayerNetwork {
    private static final long serialVersionUID = 1L;
    /** The per-thread workspace of {@link #inferOutputs}; it keeps the size of the largest pass. */
    private static final String WS_INFERENCE = "INFODYN_INFERENCE";

    /** Opens DL4J's activations workspace for one forward-and-backward pass, as fit() does. */
    private final transient LayerWorkspaceMgr trainingScope;
    /** Puts every array of an inference pass in one workspace, released when the pass ends. */
    private final transient LayerWorkspaceMgr inferenceScope;

    Dl4jNetwork(MultiLayerConfiguration configuration) {
        super(configuration);
        trainingScope = LayerWorkspaceMgr.builder()
                .with(ArrayType.INPUT, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG)
                .with(ArrayType.ACTIVATIONS, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG)
                .with(ArrayType.FF_WORKING_MEM, WS_LAYER_WORKING_MEM, WS_LAYER_WORKING_MEM_CONFIG)
                .with(ArrayType.BP_WORKING_MEM, WS_LAYER_WORKING_MEM, WS_LAYER_WORKING_MEM_CONFIG)
                .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM_CONFIG)
                .with(ArrayType.RNN_BP_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM_CONFIG)
                .build();
        LayerWorkspaceMgr.Builder inference = LayerWorkspaceMgr.builder();
        for (ArrayType type : ArrayType.values()) {
            inference.with(type, WS_INFERENCE, WS_ALL_LAYERS_ACT_CONFIG);
        }
        inferenceScope = inference.build();
    }

    /**
     * One forward pass in training mode and one backward pass; afterwards
     * {@link #getFlattenedGradients()} holds the gradient of the caller's loss.
     *
     * @param input {@code [b, inputSize]}, outside any workspace
     * @param lossGradient given the logits {@code [b, K]} (valid only during the call), returns the
     *     loss gradient with respect to them, {@code [b, K]}, outside any workspace
     */
    @SuppressWarnings("try") // the workspace scope is the resource; nothing reads it
    void computeGradient(INDArray input, UnaryOperator<INDArray> lossGradient) {
        setInput(input);
        try (MemoryWorkspace ws = trainingScope.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            List<INDArray> activations = ffToLayerActivationsInWs(layers.length - 1, FwdPassType.STANDARD, false, input, null, null);
            INDArray epsilon = lossGradient.apply(activations.get(activations.size() - 1));
            calcBackpropGradients(epsilon, false, false, false);
        }
    }

    /**
     * Runs the layers up to feed-forward index {@code deepest} in inference mode.
     *
     * <p>All arrays of the pass, DL4J's temporaries included, live in one workspace that is reset
     * when the pass ends. Without it each dense layer leaves an output-sized temporary to the
     * garbage collector (about 0.5 MiB per call for a 256 × 512 layer), and native memory then
     * depends on when the collector runs.
     *
     * @param input {@code [n, inputSize]}, outside any workspace; may be overwritten (activation
     *     layers work in place)
     * @param sink receives each output with its index, from 0 (the input) to {@code deepest}; an
     *     output is valid only during its call
     */
    @SuppressWarnings("try") // the workspace scope is the resource; nothing reads it
    void inferOutputs(INDArray input, int deepest, ObjIntConsumer<INDArray> sink) {
        try (MemoryWorkspace ws = inferenceScope.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            INDArray h = input;
            sink.accept(h, 0);
            for (int i = 0; i < deepest; i++) {
                h = layers[i].activate(h, false, inferenceScope);
                sink.accept(h, i + 1);
            }
        } finally {
            clearLayersStates();
        }
    }
}
