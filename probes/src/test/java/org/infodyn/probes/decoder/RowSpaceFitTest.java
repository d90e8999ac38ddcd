package org.infodyn.probes.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.infodyn.api.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * With more features than fit samples the linear decoder fits in the samples' row space; this
 * checks that it finds the optimum the fit on the features finds (the estimator is unchanged),
 * cold and warm-started, for two and for several classes, with a weak and a strong penalty.
 */
class RowSpaceFitTest {

    /** Features that carry the label in a few directions, plus many noisy, correlated ones. */
    private static DesignMatrix design(Rng rng, int[] labels, int n, int d, double drift) {
        double[] v = new double[n * d];
        double[] mix = new double[d];
        for (int j = 0; j < d; j++) {
            mix[j] = rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            double shared = rng.nextGaussian();
            for (int j = 0; j < d; j++) {
                double signal = j < 8 ? (labels[i] == j % 4 ? 1.0 : 0.0) : 0;
                v[i * d + j] = signal + 0.5 * mix[j] * shared + rng.nextGaussian() * (1 + drift * j / d);
            }
        }
        return DesignMatrix.ofRowMajor(v, n, d);
    }

    @ParameterizedTest(name = "{0} classes, l2 {1}")
    @CsvSource({"2, 1e-4", "2, 1e-1", "4, 1e-4", "4, 1e-1"})
    void theRowSpaceFitFindsTheSameOptimumAsTheFeatureFit(int classes, double l2) {
        Rng rng = new Rng(31 * classes);
        int n = 60;
        int held = 200;
        int d = 300;
        int[] fitLabels = new int[n];
        int[] heldLabels = new int[held];
        for (int i = 0; i < n; i++) {
            fitLabels[i] = i % classes;
        }
        for (int i = 0; i < held; i++) {
            heldLabels[i] = rng.nextInt(classes);
        }
        LinearDecoder.Settings settings = new LinearDecoder.Settings(l2, 5000, 1e-10, true);
        LinearDecoder rowSpace = new LinearDecoder(classes, d, settings);
        LinearDecoder features = new LinearDecoder(classes, d, settings, false);
        LabelCounts counts = LabelCounts.of(fitLabels, classes);
        for (int point = 0; point < 2; point++) { // the second fit is warm-started from the first
            DesignMatrix fit = design(rng, fitLabels, n, d, point);
            DesignMatrix score = design(rng, heldLabels, held, d, point);
            rowSpace.fit(fit, fitLabels, counts);
            features.fit(fit, fitLabels, counts);
            assertThat(rowSpace.lastOptimum().termination()).isIn(Optimum.Termination.GRADIENT, Optimum.Termination.OBJECTIVE_CHANGE);
            assertThat(rowSpace.lastOptimum().value()).as("objective at the optimum, point %d", point)
                    .isCloseTo(features.lastOptimum().value(), within(1e-9));
            Evaluation a = rowSpace.evaluate(score, heldLabels);
            Evaluation b = features.evaluate(score, heldLabels);
            // The gradient tolerance bounds the weights' error by ~tolerance/l2 along the flattest
            // directions, which held-out logits of ~300 features turn into ~1e-5 bits at l2 = 1e-4.
            assertThat(a.meanBits()).as("held-out cross-entropy, point %d", point).isCloseTo(b.meanBits(), within(3e-5));
            assertThat(a.correct()).isCloseTo(b.correct(), within(1));
            Evaluation onFit = rowSpace.evaluate(fit, fitLabels);
            assertThat(onFit.meanBits()).isCloseTo(features.evaluate(fit, fitLabels).meanBits(), within(1e-6));
        }
    }

    /**
     * More features than samples: the classes are linearly separable, the penalised optimum has
     * large weights and most samples almost no curvature. That is where a Böhning-preconditioned
     * L-BFGS ran out of its 500 iterations on cnn-small's blocks; the row-space solvers (Newton
     * for two classes, curvature-preconditioned rounds for more) must converge within the
     * default budget and tolerance, to the optimum the feature fit reaches with a large budget.
     */
    @ParameterizedTest(name = "{0} classes, {1} samples × {2} features")
    @CsvSource({"2, 450, 500", "5, 80, 240"}) // two classes: above NEWTON_MAX_PARAMETERS, so only the row space makes it Newton
    void separableWideDataConvergeWithinTheDefaultBudget(int classes, int n, int d) {
        Rng rng = new Rng(400 + classes);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        DesignMatrix fit = design(rng, labels, n, d, 0);
        LabelCounts counts = LabelCounts.of(labels, classes);
        LinearDecoder rowSpace = new LinearDecoder(classes, d, new LinearDecoder.Settings(1e-4, 500, 1e-9, true));
        rowSpace.fit(fit, labels, counts);
        assertThat(rowSpace.lastOptimum().termination()).as(rowSpace.lastOptimum().toString())
                .isIn(Optimum.Termination.GRADIENT, Optimum.Termination.OBJECTIVE_CHANGE);
        assertThat(rowSpace.lastConverged()).isEqualTo(1);
        assertThat(rowSpace.evaluate(fit, labels).meanBits()).as("separable: almost no loss on the fit samples").isLessThan(0.05);
        LinearDecoder features = new LinearDecoder(classes, d, new LinearDecoder.Settings(1e-4, 100_000, 1e-11, true), false);
        features.fit(fit, labels, counts);
        assertThat(rowSpace.lastOptimum().value()).isCloseTo(features.lastOptimum().value(),
                within(1e-8 * features.lastOptimum().value()));
    }
}
