package org.infodyn.probes.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.infodyn.api.random.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MLP decoder's back-propagation and its capacity options, on problems with known behaviour. */
class MlpDecoderTest {

    /** n samples of d standard-normal features; the label is the sign of x0·x1 (needs a nonlinear read-out). */
    private static DesignMatrix features(Rng rng, int n, int d) {
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return DesignMatrix.ofRowMajor(v, n, d);
    }

    private static int[] xorLabels(DesignMatrix x) {
        int[] y = new int[x.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = x.get(i, 0) * x.get(i, 1) > 0 ? 1 : 0;
        }
        return y;
    }

    private static int[] randomLabels(Rng rng, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return y;
    }

    private static MlpDecoder.Settings settings(int layers, int steps, int restarts, double validation, int patience) {
        return new MlpDecoder.Settings(16, layers, steps, 0.01, 1e-4, false, 5, restarts, validation, patience);
    }

    private static double fitBits(MlpDecoder dec, DesignMatrix x, int[] y) {
        return dec.evaluate(x, y).meanBits();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void backPropagationMatchesFiniteDifferencesOfTheLoss(int layers) {
        Rng rng = new Rng(40 + layers);
        DesignMatrix x = features(rng, 37, 5); // 37: full blocks of four and a remainder
        int[] y = randomLabels(rng, 37, 3);
        LabelCounts counts = LabelCounts.of(y, 3);
        MlpDecoder dec = new MlpDecoder(3, 5, settings(layers, 1, 1, 0, 1));
        double[] at = dec.lossAndGradientAtInitialisation(x, y, counts, -1, 0);
        int parameters = at.length - 1;
        float eps = 1e-2f;
        int checked = 0;
        for (int p = 0; p < parameters; p += 7) {
            double up = dec.lossAndGradientAtInitialisation(x, y, counts, p, eps)[0];
            double down = dec.lossAndGradientAtInitialisation(x, y, counts, p, -eps)[0];
            double numeric = (up - down) / (2 * eps);
            // float32 activations and ReLU kinks: a loose absolute bound, far below a wrong gradient's error
            assertThat(at[1 + p]).as("layers %d, parameter %d of %d", layers, p, parameters)
                    .isCloseTo(numeric, within(2e-3 + 0.02 * Math.abs(numeric)));
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void moreRestartsNeverEndWithAHigherFitLoss() {
        Rng rng = new Rng(50);
        DesignMatrix x = features(rng, 400, 4);
        int[] y = xorLabels(x);
        LabelCounts counts = LabelCounts.of(y, 2);
        MlpDecoder one = new MlpDecoder(2, 4, settings(1, 60, 1, 0, 1));
        MlpDecoder five = new MlpDecoder(2, 4, settings(1, 60, 5, 0, 1));
        one.fit(x, y, counts);
        five.fit(x, y, counts);
        double single = fitBits(one, x, y);
        double best = fitBits(five, x, y);
        // restart 0 of five is the single fit; the kept one is the lowest of five fit losses
        assertThat(best).isLessThanOrEqualTo(single);
        assertThat(five.lastIterations()).isEqualTo(60);
    }

    @Test
    void earlyStoppingStopsAnOverFittingDecoderBeforeItsBudget() {
        Rng rng = new Rng(51);
        int n = 300;
        DesignMatrix fit = features(rng, n, 30);
        int[] yFit = randomLabels(rng, n, 2);
        DesignMatrix held = features(rng, 2000, 30);
        int[] yHeld = randomLabels(rng, 2000, 2);
        LabelCounts counts = LabelCounts.of(yFit, 2);
        MlpDecoder plain = new MlpDecoder(2, 30, settings(1, 2000, 1, 0, 1));
        MlpDecoder early = new MlpDecoder(2, 30, settings(1, 2000, 1, 0.2, 50));
        plain.fit(fit, yFit, counts);
        early.fit(fit, yFit, counts);
        // labels independent of the features: the full budget memorises the fit samples …
        assertThat(fitBits(plain, fit, yFit)).isLessThan(0.2);
        assertThat(fitBits(plain, held, yHeld)).isGreaterThan(1.5);
        // … early stopping keeps a network from before that, which predicts little and confidently nothing
        assertThat(early.lastIterations()).isLessThan(200);
        assertThat(fitBits(early, held, yHeld)).isLessThan(1.1);
    }

    @Test
    void aSecondHiddenLayerLearnsAndTheFitIsReproducible() {
        Rng rng = new Rng(52);
        DesignMatrix x = features(rng, 1000, 2);
        int[] y = xorLabels(x);
        DesignMatrix held = features(rng, 1000, 2);
        int[] yHeld = xorLabels(held);
        LabelCounts counts = LabelCounts.of(y, 2);
        MlpDecoder a = new MlpDecoder(2, 2, settings(2, 300, 2, 0.1, 30));
        MlpDecoder b = new MlpDecoder(2, 2, settings(2, 300, 2, 0.1, 30));
        a.fit(x, y, counts);
        b.fit(x, y, counts);
        Evaluation ea = a.evaluate(held, yHeld);
        assertThat(ea.accuracy()).isGreaterThan(0.9);
        assertThat(ea).isEqualTo(b.evaluate(held, yHeld));
        assertThat(a.lastIterations()).isEqualTo(b.lastIterations()).isBetween(1, 300);
    }

    @Test
    void settingsOutOfRangeAreRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> settings(0, 10, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> settings(1, 10, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> settings(1, 10, 1, 0.6, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
