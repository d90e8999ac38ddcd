package org.infodyn.probes.usable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.config.Params;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.NetworkFacts;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.random.Rng;
import org.infodyn.testkit.ReferenceAlgebra;
import org.junit.jupiter.api.Test;

/**
 * {@code linearAlgebra: backend} as the series use it: the device computes the Gram of a wide
 * layer's fit samples once per layer and point (shared by the variables' series), never for a
 * layer no wider than its fit samples nor with the default {@code java}; the bits match the
 * series that computes the Gram itself.
 */
class DeviceAlgebraSeriesTest {

    private static ConfiguredProbe configure(String linearAlgebra) {
        UsableInformationProbe probe = new UsableInformationProbe();
        return probe.configure(Params.bind("probes[0]", Map.of("linearAlgebra", linearAlgebra, "fitSamples", 80L), probe.parameters()));
    }

    private static ProbeData point(LabelledFeatures fit, LabelledFeatures held, int[] yFit, int[] yHeld, DeviceAlgebra algebra) {
        return new ProbeData(0, 2, new LabelledFeatures(fit.features(), yFit), new LabelledFeatures(held.features(), yHeld), Map.of(),
                NetworkFacts.EMPTY, Optional.ofNullable(algebra));
    }

    @Test
    void theDeviceComputesEachWideLayersGramOncePerPointForAllItsVariables() {
        Rng rng = new Rng(3);
        int d = 150; // wider than the 80 fit samples: fitted in their row space
        double[] mixing = TestData.mixing(rng, d);
        int[] yFit = TestData.uniformLabels(rng, 80, 2);
        int[] yHeld = TestData.uniformLabels(rng, 120, 2);
        int[] zFit = TestData.uniformLabels(rng, 80, 2);
        int[] zHeld = TestData.uniformLabels(rng, 120, 2);
        ReferenceAlgebra device = new ReferenceAlgebra();
        ConfiguredProbe onDevice = configure("backend");
        ConfiguredProbe own = configure("java");
        for (int step = 0; step < 2; step++) {
            LabelledFeatures fit = TestData.layer(rng, yFit, d, mixing, 1.0);
            LabelledFeatures held = TestData.layer(rng, yHeld, d, mixing, 1.0);
            List<Measurement> y = onDevice.open("block", "y", 2, 1).measure(point(fit, held, yFit, yHeld, device));
            List<Measurement> z = onDevice.open("block", "z", 2, 2).measure(point(fit, held, zFit, zHeld, device));
            assertThat(device.calls()).as("one Gram per point, shared by both variables").isEqualTo(step + 1);
            assertThat(TestData.bits(y)).isCloseTo(TestData.bits(own.open("block", "y", 2, 1).measure(point(fit, held, yFit, yHeld, device))),
                    within(1e-6));
            assertThat(TestData.bits(z)).isCloseTo(TestData.bits(own.open("block", "z", 2, 2).measure(point(fit, held, zFit, zHeld, null))),
                    within(1e-6));
        }
        assertThat(device.calls()).as("java computes its own Gram, even when a point carries device algebra").isEqualTo(2);

        LabelledFeatures narrowFit = TestData.layer(rng, yFit, 30, TestData.mixing(rng, 30), 1.0);
        LabelledFeatures narrowHeld = TestData.layer(rng, yHeld, 30, TestData.mixing(rng, 30), 1.0);
        onDevice.open("narrow", "y", 2, 1).measure(point(narrowFit, narrowHeld, yFit, yHeld, device));
        assertThat(device.calls()).as("30 features, 80 samples: no row space, no Gram").isEqualTo(2);
    }

    @Test
    void aPointWithoutTheAlgebraItAskedForIsAnError() {
        Rng rng = new Rng(4);
        int[] yFit = TestData.uniformLabels(rng, 80, 2);
        int[] yHeld = TestData.uniformLabels(rng, 40, 2);
        LabelledFeatures fit = TestData.layer(rng, yFit, 100, TestData.mixing(rng, 100), 1.0);
        LabelledFeatures held = TestData.layer(rng, yHeld, 100, TestData.mixing(rng, 100), 1.0);
        assertThatThrownBy(() -> configure("backend").open("block", "y", 2, 1).measure(point(fit, held, yFit, yHeld, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("block/y: linearAlgebra is backend, and this point has no device algebra (ProbeData.algebra)");
    }
}
