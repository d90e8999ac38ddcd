package org.infodyn.probes.usable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.Probe;
import org.infodyn.testkit.Registration;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    private final UsableInformationProbe probe = new UsableInformationProbe();

    private ConfiguredProbe configure(Map<String, ?> given) {
        return probe.configure(Params.bind("probes[0]", given, probe.parameters()));
    }

    @Test
    void isRegisteredBothWays() {
        Registration.assertRegistered(Probe.class, UsableInformationProbe.class);
    }

    @Test
    void describesItselfForListings() {
        assertThat(probe.id()).isEqualTo("usable-information");
        assertThat(probe.parameters()).extracting(ParamSpec::name).containsExactly("decoder", "fitSamples", "split",
                "folds", "standardize", "l2", "maxIterations", "tolerance", "linearAlgebra", "warmStart", "hidden", "steps", "learningRate", "hiddenLayers", "restarts",
                "earlyStopping", "validationFraction", "patience");
        assertThat(probe.parameters()).allSatisfy(p -> assertThat(p.description()).isNotBlank());
        assertThat(probe.metrics()).hasSize(UsableInformationProbe.METRIC_NAMES.size());
        for (int i = 0; i < probe.metrics().size(); i++) {
            assertThat(probe.metrics().get(i)).startsWith(UsableInformationProbe.METRIC_NAMES.get(i) + ": ");
        }
    }

    @Test
    void defaultsFollowTheDesign() {
        UsableInformationSettings s = UsableInformationSettings.from(Params.defaults("p", probe.parameters()));
        assertThat(s).isEqualTo(new UsableInformationSettings(DecoderKind.LINEAR, 2000, SplitMode.TRAIN_SUBSET, 5, true,
                1e-4, 500, 1e-9, true, 64, 300, 0.01, 1, 1, false, 0.1, 100, false));
    }

    @Test
    void theLinearDecodersGramAsksForDeviceAlgebraOnlyWhenSetToBackend() {
        assertThat(configure(Map.of()).deviceAlgebraSetting()).isEmpty();
        assertThat(configure(Map.of("linearAlgebra", "java")).deviceAlgebraSetting()).isEmpty();
        assertThat(configure(Map.of("linearAlgebra", "backend")).deviceAlgebraSetting()).contains("linearAlgebra");
    }

    @Test
    void fitSamplesAreOnlyRequestedForTheTrainSubsetSplit() {
        assertThat(configure(Map.of()).fitSamples()).isEqualTo(2000);
        assertThat(configure(Map.of("fitSamples", 500L)).fitSamples()).isEqualTo(500);
        assertThat(configure(Map.of("split", "probe-halves")).fitSamples()).isZero();
        assertThat(configure(Map.of("split", "kfold", "folds", 10L)).fitSamples()).isZero();
    }

    @Test
    void warmStartDefaultsDependOnTheDecoderAndAreRecordedResolved() {
        assertThat(configure(Map.of()).params().getString("warmStart")).isEqualTo("true");
        assertThat(configure(Map.of("decoder", "mlp")).params().getString("warmStart")).isEqualTo("false");
        assertThat(configure(Map.of("decoder", "mlp", "warmStart", "true")).params().getString("warmStart")).isEqualTo("true");
        assertThat(configure(Map.of("warmStart", "false")).params().getString("warmStart")).isEqualTo("false");
        ConfiguredProbe c = configure(Map.of("l2", 0.5));
        assertThat(c.params().path()).isEqualTo("probes[0]");
        assertThat(c.params().getDouble("l2")).isEqualTo(0.5);
        assertThat(c.params().asMap()).containsOnlyKeys(probe.parameters().stream().map(ParamSpec::name).toList());
    }

    @Test
    void badValuesAreConfigErrorsNamingTheField() {
        assertThatThrownBy(() -> configure(Map.of("decoder", "svm")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("probes[0].decoder").hasMessageContaining("svm").hasMessageContaining("linear, mlp")
                .extracting(e -> ((ConfigException) e).path()).isEqualTo("probes[0].decoder");
        assertThatThrownBy(() -> configure(Map.of("linearAlgebra", "gpu"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("probes[0].linearAlgebra").hasMessageContaining("gpu").hasMessageContaining("java, backend");
        assertThatThrownBy(() -> configure(Map.of("decoder", "mlp", "linearAlgebra", "backend")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("probes[0].linearAlgebra: 'backend' applies to the linear decoder, and decoder is mlp; allowed with it:"
                        + " java (the default)");
        assertThatThrownBy(() -> configure(Map.of("split", "thirds"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("probes[0].split");
        assertThatThrownBy(() -> configure(Map.of("folds", 1L))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("probes[0].folds");
        assertThatThrownBy(() -> configure(Map.of("l2", -1.0))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("probes[0].l2");
        assertThatThrownBy(() -> configure(Map.of("learningRate", 0.0))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("probes[0].learningRate").hasMessageContaining("> 0");
        assertThatThrownBy(() -> configure(Map.of("fitSamples", 0L))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("probes[0].fitSamples");
        assertThatThrownBy(() -> configure(Map.of("warmStart", "maybe"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("probes[0].warmStart");
    }

    @Test
    void openRejectsVariablesWithFewerThanTwoClasses() {
        assertThatThrownBy(() -> configure(Map.of()).open("hidden1", "constant", 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("constant");
    }
}
