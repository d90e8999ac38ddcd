package org.infodyn.probes.usable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.infodyn.probes.usable.TestData.bits;
import static org.infodyn.probes.usable.TestData.metric;

import java.util.List;
import java.util.Map;

import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.random.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Representations whose usable information is known in closed form. */
class KnownAnswersTest {

    private static List<Measurement> linear(int classes, LabelledFeatures fit, LabelledFeatures heldOut) {
        return TestData.series(Map.of(), classes, 7).measure(TestData.point(classes, fit, heldOut));
    }

    @Test
    void aRepresentationIndependentOfTheVariableCarriesNoBits() {
        Rng rng = new Rng(11);
        int[] yFit = TestData.uniformLabels(rng, 2000, 2);
        int[] yHeld = TestData.uniformLabels(rng, 2000, 2);
        List<Measurement> ms = linear(2, TestData.independent(rng, yFit, 10), TestData.independent(rng, yHeld, 10));
        assertThat(bits(ms)).isCloseTo(0, within(0.02));
        assertThat(metric(ms, UsableInformationProbe.NULL_CE_BITS)).isCloseTo(1, within(0.01));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 10})
    void aOneHotCopyOfABalancedVariableCarriesLog2KBits(int k) {
        Rng rng = new Rng(12);
        int[] yFit = TestData.balancedLabels(rng, 2000, k);
        int[] yHeld = TestData.balancedLabels(rng, 1000, k);
        List<Measurement> ms = linear(k, TestData.oneHot(yFit, k), TestData.oneHot(yHeld, k));
        double log2k = TestData.log2(k);
        assertThat(metric(ms, UsableInformationProbe.LOG2K)).isCloseTo(log2k, within(1e-12));
        assertThat(bits(ms)).isCloseTo(log2k, within(0.05));
        assertThat(metric(ms, UsableInformationProbe.DECODER_ACCURACY)).isEqualTo(1.0);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.25})
    void aBinarySymmetricChannelCarriesOneMinusItsEntropy(double p) {
        Rng rng = new Rng(13);
        int[] yFit = TestData.uniformLabels(rng, 10_000, 2);
        int[] yHeld = TestData.uniformLabels(rng, 10_000, 2);
        List<Measurement> ms = linear(2, TestData.symmetricChannel(rng, yFit, p), TestData.symmetricChannel(rng, yHeld, p));
        assertThat(bits(ms)).isCloseTo(1 - TestData.h(p), within(0.03));
        assertThat(metric(ms, UsableInformationProbe.DECODER_ACCURACY)).isCloseTo(1 - p, within(0.02));
    }

    @Test
    void theLinearDecoderReadsALinearlySeparableVariableButNotXor() {
        Rng rng = new Rng(14);
        List<Measurement> separable = linear(2, TestData.square(rng, 2000, false), TestData.square(rng, 1000, false));
        assertThat(bits(separable)).isGreaterThan(0.85);
        assertThat(metric(separable, UsableInformationProbe.DECODER_ACCURACY)).isGreaterThan(0.98);
        List<Measurement> xor = linear(2, TestData.square(rng, 2000, true), TestData.square(rng, 1000, true));
        assertThat(bits(xor)).isLessThan(0.05);
    }

    @Test
    void theMlpDecoderReadsXorToo() {
        Rng rng = new Rng(15);
        for (boolean isXor : new boolean[] {false, true}) {
            LabelledFeatures fit = TestData.square(rng, 2000, isXor);
            LabelledFeatures held = TestData.square(rng, 1000, isXor);
            List<Measurement> ms = TestData.series(Map.of("decoder", "mlp"), 2, 3).measure(TestData.point(2, fit, held));
            assertThat(bits(ms)).as("xor=%s: %s", isXor, ms).isGreaterThan(0.8);
        }
    }

    @Test
    void bitsAreNullMinusDecoderCrossEntropyAndNotClipped() {
        // Few fit samples, many useless features: the decoder over-fits and reads negative bits.
        Rng rng = new Rng(16);
        int[] yFit = TestData.uniformLabels(rng, 60, 2);
        int[] yHeld = TestData.uniformLabels(rng, 2000, 2);
        List<Measurement> ms = TestData.series(Map.of("l2", 0.0), 2, 1)
                .measure(TestData.point(2, TestData.independent(rng, yFit, 40), TestData.independent(rng, yHeld, 40)));
        double nullCe = metric(ms, UsableInformationProbe.NULL_CE_BITS);
        double evalCe = metric(ms, UsableInformationProbe.DECODER_EVAL_CE_BITS);
        assertThat(bits(ms)).isEqualTo(nullCe - evalCe).isLessThan(-0.1);
        assertThat(metric(ms, UsableInformationProbe.DECODER_FIT_CE_BITS)).isLessThan(evalCe);
    }
}
