package org.infodyn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The kit fails loudly for a backend that gets the semantics subtly wrong: a double that applies
 * momentum Nesterov-style (DL4J's default) and ignores weight decay passes every shape and
 * bookkeeping check but must fail the reference comparisons.
 */
class WrongBackendTest {

    /** A backend with the classic mistakes; everything else is right. */
    static final class NesterovBackend implements Backend {
        private final ReferenceBackend right = new ReferenceBackend();

        @Override
        public String id() {
            return "nesterov";
        }

        @Override
        public String displayName() {
            return "deliberately wrong";
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Availability availability() {
            return Availability.yes();
        }

        @Override
        public BackendInfo describe() {
            return BackendInfo.cpuOnly(Map.of("none", "0"), true, Map.of());
        }

        @Override
        public Model build(ModelSpec spec, Parameters initial, BuildOptions options) {
            Model inner = right.build(spec, initial, options);
            return new Model() {
                @Override
                public ModelSpec spec() {
                    return inner.spec();
                }

                @Override
                public StepResult step(FloatTensor inputs, int[] labels, SgdSettings sgd) {
                    // ignores weight decay and takes a Nesterov-like larger step when momentum is on
                    double lr = sgd.momentum() > 0 ? sgd.learningRate() * (1 + sgd.momentum()) : sgd.learningRate();
                    return inner.step(inputs, labels, new SgdSettings(lr, sgd.momentum(), 0));
                }

                @Override
                public void resetOptimizerState() {
                    inner.resetOptimizerState();
                }

                @Override
                public Map<String, FloatTensor> activations(FloatTensor inputs, List<String> layers) {
                    return inner.activations(inputs, layers);
                }

                @Override
                public Parameters parameters() {
                    return inner.parameters();
                }

                @Override
                public void setParameters(Parameters values) {
                    inner.setParameters(values);
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        }
    }

    /** The kit run on the wrong backend (only through EngineTestKit below, never on its own). */
    static class KitOnNesterov extends BackendCompatibilityKit {
        @Override
        protected Backend backend() {
            return new NesterovBackend();
        }

        @Override
        protected boolean holdsNativeMemory() {
            return false;
        }

        @Override
        protected boolean registeredAsPlugin() {
            return false;
        }
    }

    @Test
    void theKitCatchesWrongSgdSemantics() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(KitOnNesterov.class)).execute().testEvents();
        List<String> failed = tests.failed().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
        assertThat(failed).contains("sgdStepsWithMomentumAndWeightDecayEqualTheReference()", "resetOptimizerStateRestartsMomentum()");
        // and nothing unrelated: shapes, layouts, errors and determinism are right in this double
        assertThat(failed).doesNotContain("parametersRoundTripInTheCanonicalLayout()", "forwardPassEqualsTheReferenceForEveryLayer()",
                "rejectsWrongInputShapesLabelsAndLayers()");
    }
}
