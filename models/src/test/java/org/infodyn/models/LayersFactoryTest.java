package org.infodyn.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Pool2d;
import org.infodyn.api.model.Residual;
import org.junit.jupiter.api.Test;

class LayersFactoryTest {
    private final LayersFactory factory = new LayersFactory();

    private ModelSpec build(int[] input, int classes, List<?> layers) {
        return factory.create(Params.bind("model", Map.of("layers", layers), factory.parameters()), input, classes);
    }

    private static Map<String, Object> layer(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void buildsTheListedLayersAndAppendsTheOutputLayer() {
        ModelSpec spec = build(new int[] {227}, 2, List.of(layer("kind", "dense", "units", 100), layer("kind", "relu", "name", "hidden1"),
                layer("kind", "dense", "units", 2), layer("kind", "tanh", "name", "hidden2")));
        assertThat(spec.layerNames()).containsExactly("dense1", "hidden1", "dense2", "hidden2", "output");
        assertThat(spec.outputLayer()).isEqualTo(new Dense("output", 2));
        assertThat(spec.layers().get(3)).isEqualTo(new Activation("hidden2", Activation.Function.TANH));
        assertThat(spec.id()).isEqualTo("layers");
    }

    @Test
    void anEmptyListIsALinearClassifier() {
        ModelSpec spec = build(new int[] {5}, 3, List.of());
        assertThat(spec.layerNames()).containsExactly("output");
        assertThat(spec.outputClasses()).isEqualTo(3);
    }

    @Test
    void generatedNamesSkipTheNamesTheUserGave() {
        ModelSpec spec = build(new int[] {4}, 2, List.of(layer("kind", "dense", "units", 3), layer("kind", "dense", "name", "dense1", "units", 3)));
        assertThat(spec.layerNames()).containsExactly("dense2", "dense1", "output");
    }

    @Test
    void poolingStrideDefaultsToTheKernelAndResidualBranchesNest() {
        ModelSpec spec = build(new int[] {2, 8, 8}, 2, List.of(
                layer("kind", "residual", "name", "res", "body", List.of(layer("kind", "conv2d", "filters", 3, "kernel", 1)),
                        "shortcut", List.of(layer("kind", "conv2d", "name", "proj", "filters", 3, "kernel", 1))),
                layer("kind", "maxpool", "kernel", 2), layer("kind", "globalavgpool")));
        assertThat(spec.layers().get(1)).isEqualTo(new Pool2d("maxpool1", Pool2d.Function.MAX, 2, 2));
        assertThat(spec.outputShape("maxpool1")).containsExactly(3, 4, 4);
        Residual res = (Residual) spec.layers().get(0);
        assertThat(res.body()).extracting(LayerSpec::name).containsExactly("conv1");
        assertThat(res.shortcut()).extracting(LayerSpec::name).containsExactly("proj");
        assertThat(spec.layerNames()).containsExactly("res", "maxpool1", "gap1", "output"); // nested layers are not probe points
    }

    @Test
    void coversEveryLayerKindOfTheApi() {
        assertThat(LayersFactory.kinds()).containsExactlyInAnyOrderElementsOf(LayerSpec.kinds());
    }

    @Test
    void errorsNameTheIndexAndTheField() {
        assertRefused(new int[] {1, 8, 8}, List.of(layer("kind", "conv2d", "filters", 4, "kernel", 0)),
                "model.layers[0].kernel: must be ≥ 1, got 0");
        assertRefused(new int[] {4}, List.of(layer("kind", "dense")), "model.layers[0].units: missing required field");
        assertRefused(new int[] {4}, List.of(layer("kind", "dense", "units", 3), layer("kind", "conv", "filters", 2)),
                "model.layers[1].kind: unknown layer kind 'conv'; allowed: avgpool, batchnorm, conv2d, dense");
        assertRefused(new int[] {4}, List.of(layer("units", 3)), "model.layers[0].kind: missing");
        assertRefused(new int[] {4}, List.of(layer("kind", "dense", "units", 3, "activation", "relu")),
                "model.layers[0].activation: unknown field 'activation'; known fields: units");
        assertRefused(new int[] {4}, List.of("dense"), "model.layers[0]: expected a mapping");
        assertRefused(new int[] {4}, List.of(layer("kind", "dense", "name", "a b", "units", 3)), "model.layers[0].name: expected a name");
        assertRefused(new int[] {4}, List.of(layer("kind", "relu", "name", "x"), layer("kind", "tanh", "name", "x")),
                "model.layers[1].name: 'x' is used twice");
        assertRefused(new int[] {4}, List.of(layer("kind", "relu", "name", "output")), "model.layers[0].name: 'output' is used twice");
    }

    @Test
    void aLayerThatDoesNotFitItsInputIsNamedWithTheShapeItGets() {
        assertRefused(new int[] {1, 4, 4}, List.of(layer("kind", "maxpool", "kernel", 2), layer("kind", "conv2d", "filters", 2, "kernel", 5)),
                "model.layers[1]: conv2d conv1: kernel 5 is larger than the padded input [1, 2, 2] (its input is [1, 2, 2])");
        assertRefused(new int[] {1, 4, 4}, List.of(layer("kind", "dense", "units", 3)), "model.layers[0]: dense layer dense1 needs a vector input");
        assertRefused(new int[] {1, 4, 4}, List.of(layer("kind", "relu")), "model.layers: the last layer gives [1, 4, 4]");
        assertRefused(new int[] {2, 4, 4}, List.of(layer("kind", "residual", "body", List.of(layer("kind", "conv2d", "filters", 3, "kernel", 1))),
                layer("kind", "flatten")), "model.layers[0]: the body gives [3, 4, 4] but the shortcut gives [2, 4, 4] (identity");
        assertRefused(new int[] {2, 4, 4}, List.of(layer("kind", "residual", "body", List.of(layer("kind", "conv2d", "filters", 2, "kernel", 0)))),
                "model.layers[0].body[0].kernel: must be ≥ 1");
        assertRefused(new int[] {2, 4, 4}, List.of(layer("kind", "residual", "body", List.of())), "model.layers[0].body: needs at least one layer");
    }

    private void assertRefused(int[] input, List<?> layers, String message) {
        assertThatThrownBy(() -> build(input, 2, layers)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }
}
