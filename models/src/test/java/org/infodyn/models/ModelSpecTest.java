package org.infodyn.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.infodyn.api.config.Params;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
    private final MlpFactory mlp = new MlpFactory();

    @Test
    void mlpNamesItsLayersAndParameters() {
        ModelSpec s = mlp.create(Params.defaults("model", mlp.parameters()), new int[] {227}, 2);
        assertThat(s.layerNames()).containsExactly("dense1", "hidden1", "dense2", "hidden2", "dense3", "hidden3", "output");
        assertThat(s.outputShape("hidden3")).containsExactly(2);
        assertThat(s.outputClasses()).isEqualTo(2);
        assertThat(s.parameters()).extracting(ParameterSpec::name).containsExactly("dense1.weight", "dense1.bias",
                "dense2.weight", "dense2.bias", "dense3.weight", "dense3.bias", "output.weight", "output.bias");
        assertThat(s.parameters().get(0).shape()).containsExactly(100, 227);
        assertThat(s.layerKinds()).containsExactly("dense", "relu");
    }

    @Test
    void imagesAreFlattenedFirst() {
        ModelSpec s = mlp.create(Params.bind("model", Map.of("hidden", List.of(8L)), mlp.parameters()), new int[] {1, 28, 28}, 10);
        assertThat(s.layerNames().get(0)).isEqualTo("flatten");
        assertThat(s.parameters().get(0).shape()).containsExactly(8, 784);
    }

    @Test
    void badSpecsAreRejected() {
        assertThatThrownBy(() -> new ModelSpec("x", new int[] {3}, List.of(new Dense("a", 2), new Dense("a", 2))))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> new ModelSpec("x", new int[] {3, 3}, List.of(new Dense("a", 2))))
                .hasMessageContaining("flatten");
        assertThatThrownBy(() -> new ModelSpec("x", new int[] {3}, List.of(new Dense("a.b", 2))))
                .hasMessageContaining("bad layer name");
        assertThatThrownBy(() -> new Dense("a", 0)).hasMessageContaining("at least 1 unit");
    }

    @Test
    void initialiserIsSeededPerParameterAndBoundedByFanIn() {
        ModelSpec s = mlp.create(Params.defaults("model", mlp.parameters()), new int[] {227}, 2);
        Parameters a = Initializer.initialize(s, 1);
        assertThat(Initializer.initialize(s, 1)).isEqualTo(a);
        assertThat(Initializer.initialize(s, 2)).isNotEqualTo(a);
        double bound = 1 / Math.sqrt(227);
        for (float v : a.get("dense1.weight").data()) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo((float) bound);
        }
        Parameters b = Initializer.reinitializeLayer(s, a, "output", 99);
        assertThat(b.get("dense1.weight").data()).isEqualTo(a.get("dense1.weight").data());
        assertThat(b.get("output.weight").data()).isNotEqualTo(a.get("output.weight").data());
        // one parameter's values do not depend on the others: same seed, same name, same values
        assertThat(Initializer.draw(s.parameters().get(6), 1).data()).isEqualTo(a.get("output.weight").data());
    }
}
