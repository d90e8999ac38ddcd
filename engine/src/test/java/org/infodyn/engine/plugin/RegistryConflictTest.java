package org.infodyn.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two plugins with one id: an error naming both, unless the user chooses one. */
class RegistryConflictTest {
    /** A third party's probe that reuses a built-in's id. */
    public static final class Impostor implements Probe {
        @Override
        public String id() {
            return "usable-information";
        }

        @Override
        public String description() {
            return "not the real one";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public List<String> metrics() {
            return List.of("x: a value");
        }

        @Override
        public ConfiguredProbe configure(Params params) {
            throw new UnsupportedOperationException();
        }
    }

    /** The other provider of the id. */
    public static final class Original implements Probe {
        private final Impostor same = new Impostor();

        @Override
        public String id() {
            return same.id();
        }

        @Override
        public String description() {
            return "the real one";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public List<String> metrics() {
            return same.metrics();
        }

        @Override
        public ConfiguredProbe configure(Params params) {
            throw new UnsupportedOperationException();
        }
    }

    @AfterEach
    void forgetChoices() {
        System.clearProperty(Registry.CHOICE_PROPERTY);
    }

    @Test
    void aDuplicateIdIsAnErrorNamingBothProvidersAndTheirJars() {
        assertThatThrownBy(() -> Registry.of(List.of(), List.of(), List.of(new Original(), new Impostor()), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("2 plugins provide the probe id 'usable-information'")
                .hasMessageContaining(Original.class.getName() + " (").hasMessageContaining(Impostor.class.getName() + " (")
                .hasMessageContaining("test-classes")
                .hasMessageContaining("INFODYN_PLUGIN_CHOICE=probe:usable-information=<class>");
    }

    @Test
    void anExplicitChoiceResolvesIt() {
        System.setProperty(Registry.CHOICE_PROPERTY, "probe:usable-information=" + Impostor.class.getName());
        Registry r = Registry.of(List.of(), List.of(), List.of(new Original(), new Impostor()), List.of());
        assertThat(r.probes().get("usable-information")).isInstanceOf(Impostor.class);
        System.setProperty(Registry.CHOICE_PROPERTY, "probe:usable-information=org.example.Nobody");
        assertThatThrownBy(() -> Registry.of(List.of(), List.of(), List.of(new Original(), new Impostor()), List.of()))
                .hasMessageContaining("chooses org.example.Nobody for probe 'usable-information', but its providers are");
        System.setProperty(Registry.CHOICE_PROPERTY, "usable-information");
        assertThatThrownBy(() -> Registry.of(List.of(), List.of(), List.of(new Original()), List.of()))
                .hasMessageContaining("is not kind:id=class");
    }
}
