package org.infodyn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.Assumptions;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Initializer;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ModelFactory} must meet, as an abstract JUnit 5 class: subclass it and
 * supply {@link #factory()}. It checks what a run relies on: a stable id and described parameters;
 * a network that fits the inputs it is given, ends in one logit per class, names its layers
 * uniquely and uses only layer kinds the api knows; the same parameters giving the same network;
 * and that the network trains on the plain-Java reference.
 */
public abstract class ModelFactoryCompatibilityKit {

    /** The factory under test. */
    protected abstract ModelFactory factory();

    /** Settings for the {@code model} block (default: its defaults). */
    protected Map<String, Object> parameters() {
        return Map.of();
    }

    /** A per-sample input shape the factory accepts (default: a vector of 12 values). */
    protected int[] inputShape() {
        return new int[] {12};
    }

    /** Whether the factory is a plugin that infodyn should find (default: true). */
    protected boolean registeredAsPlugin() {
        return true;
    }

    private ModelSpec create(int classes) {
        return factory().create(Params.bind("model", parameters(), factory().parameters()), inputShape(), classes);
    }

    /** Registered both ways, as {@link TaskCompatibilityKit#isRegisteredBothWays()} explains. */
    @Test
    void isRegisteredBothWays() {
        Assumptions.assumeThat(registeredAsPlugin()).as("registeredAsPlugin() says this implementation is not a plugin").isTrue();
        Registration.assertRegistered(ModelFactory.class, factory().getClass());
    }

    @Test
    void identifiesItselfAndDescribesItsParameters() {
        assertThat(factory().id()).matches("[a-z0-9][a-z0-9-]*");
        assertThat(factory().description()).isNotBlank();
        for (ParamSpec p : factory().parameters()) {
            assertThat(p.description()).as("parameter %s", p.name()).isNotBlank();
        }
        // every default is valid: bind the kit's settings of the required parameters only
        Map<String, Object> requiredOnly = new HashMap<>(parameters());
        factory().parameters().stream().filter(p -> p.defaultValue().isPresent()).forEach(p -> requiredOnly.remove(p.name()));
        Params.bind("model", requiredOnly, factory().parameters());
    }

    @Test
    void buildsANetworkWithOneLogitPerClassFromKnownLayers() {
        for (int classes : new int[] {2, 5}) {
            ModelSpec spec = create(classes);
            assertThat(spec.inputShape()).containsExactly(inputShape());
            assertThat(spec.outputClasses()).isEqualTo(classes);
            spec.layers().stream().flatMap(LayerSpec::walk).forEach(l -> assertThat(LayerSpec.kinds()).contains(l.kind()));
            assertThat(spec.parameters()).as("a network needs something to train").isNotEmpty();
        }
    }

    @Test
    void theSameParametersGiveTheSameNetwork() {
        assertThat(create(3)).isEqualTo(create(3));
    }

    @Test
    void refusesUnknownFieldsByName() {
        assertThatThrownBy(() -> Params.bind("model", Map.of("no-such-field", 1L), factory().parameters()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.no-such-field");
    }

    @Test
    void trainsOnTheReference() {
        ModelSpec spec = create(3);
        Parameters p = Initializer.initialize(spec, 1);
        ReferenceModel ref = new ReferenceModel(spec, p);
        int n = 8;
        int size = spec.inputSize();
        float[] x = new float[n * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37);
        }
        FloatTensor inputs = FloatTensor.batch(n, spec.inputShape(), x);
        int[] y = {0, 1, 2, 0, 1, 2, 0, 1};
        double first = ref.step(inputs, y, SgdSettings.plain(0.05));
        double later = first;
        for (int s = 0; s < 20; s++) {
            later = ref.step(inputs, y, SgdSettings.plain(0.05));
        }
        assertThat(first).isFinite();
        assertThat(later).as("20 SGD steps on one batch lower its loss").isLessThan(first);
        assertThat(List.copyOf(ref.parameters().names())).containsExactlyElementsOf(p.names());
    }
}
