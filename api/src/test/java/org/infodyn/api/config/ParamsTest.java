package org.infodyn.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ParamsTest {
    private static final List<ParamSpec> SPECS = List.of(
            ParamSpec.integer("samples", 100, "n").atLeast(10),
            ParamSpec.decimal("noise", 0.0, "sd").atLeast(0).atMost(1),
            ParamSpec.choice("encoding", "grid", List.of("grid", "scalars"), "how"),
            ParamSpec.bool("flag", false, "f"),
            ParamSpec.integerList("hidden", List.of(4L, 2L), "units").atLeast(1),
            ParamSpec.required("data", ParamType.STRING, "folder"));

    @Test
    void fillsDefaultsAndKeepsDeclarationOrder() {
        Params p = Params.bind("task", Map.of("data", "/x", "noise", 1L), SPECS);
        assertThat(p.asMap().keySet()).containsExactly("samples", "noise", "encoding", "flag", "hidden", "data");
        assertThat(p.getInt("samples")).isEqualTo(100);
        assertThat(p.getDouble("noise")).isEqualTo(1.0); // an integer given for a decimal is widened
        assertThat(p.getLongList("hidden")).containsExactly(4L, 2L);
        assertThat(p.getString("data")).isEqualTo("/x");
    }

    @Test
    void errorsNameTheFieldTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> Params.bind("task", Map.of("data", "x", "sample", 5L), SPECS))
                .hasMessage("task.sample: unknown field 'sample'; known fields: data, encoding, flag, hidden, noise, samples");
        assertThatThrownBy(() -> Params.bind("task", Map.of(), SPECS)).hasMessageContaining("task.data: missing required field");
        assertThatThrownBy(() -> Params.bind("task", Map.of("data", "x", "samples", 5L), SPECS))
                .hasMessage("task.samples: must be ≥ 10, got 5");
        assertThatThrownBy(() -> Params.bind("task", Map.of("data", "x", "samples", 1.5), SPECS))
                .hasMessage("task.samples: expected an integer, got 1.5");
        assertThatThrownBy(() -> Params.bind("task", Map.of("data", "x", "encoding", "pix"), SPECS))
                .hasMessage("task.encoding: unknown value 'pix'; allowed: grid, scalars");
        assertThatThrownBy(() -> Params.bind("task", Map.of("data", "x", "flag", "yes"), SPECS))
                .hasMessage("task.flag: expected a boolean, got 'yes'");
        assertThatThrownBy(() -> Params.bind("task", Map.of("data", "x", "hidden", List.of(3L, 0L)), SPECS))
                .hasMessage("task.hidden[1]: must be ≥ 1, got 0");
        assertThatThrownBy(() -> Params.bind("task", Map.of("data", "x", "noise", 2.5), SPECS))
                .hasMessage("task.noise: must be ≤ 1, got 2.5");
    }

    @Test
    void exclusiveBoundsAndBooleanChoices() {
        List<ParamSpec> specs = List.of(ParamSpec.decimal("lr", 0.1, "rate").greaterThan(0),
                ParamSpec.choice("warm", "auto", List.of("auto", "true", "false"), "w"));
        assertThatThrownBy(() -> Params.bind("p", Map.of("lr", 0.0), specs)).hasMessage("p.lr: must be > 0, got 0");
        assertThat(specs.get(0).summary()).contains("> 0");
        assertThat(Params.bind("p", Map.of("warm", false), specs).getString("warm")).isEqualTo("false");
    }

    @Test
    void summariesListTypeDefaultAndBounds() {
        assertThat(SPECS.get(0).summary()).isEqualTo("samples (integer, default 100, ≥ 10): n");
        assertThat(SPECS.get(2).summary()).contains("one of grid|scalars");
        assertThat(SPECS.get(5).summary()).contains("required");
    }

    @Test
    void formatsNumbersLikeAUserWouldWriteThem() {
        assertThat(Params.format(0.05)).isEqualTo("0.05");
        assertThat(Params.format(1e-4)).isEqualTo("0.0001");
        assertThat(Params.format(10000.0)).isEqualTo("10000");
    }
}
