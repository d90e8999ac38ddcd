package org.infodyn.probes.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.CancellationException;

import org.infodyn.api.random.Rng;
import org.junit.jupiter.api.Test;
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

    /** 0, 1, …, classes − 1, 0, 1, …: every class equally often (within one). */
    private static int[] balancedLabels(int n, int classes) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        return labels;
    }

    private static int[] randomLabels(Rng rng, int n, int classes) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
        }
        return labels;
    }

    @ParameterizedTest(name = "{0} classes, l2 {1}")
    @CsvSource({"2, 1e-4", "2, 1e-1", "4, 1e-4", "4, 1e-1"})
    void theRowSpaceFitFindsTheSameOptimumAsTheFeatureFit(int classes, double l2) {
        Rng rng = new Rng(31 * classes);
        int n = 60;
        int held = 200;
        int d = 300;
        int[] fitLabels = balancedLabels(n, classes);
        int[] heldLabels = randomLabels(rng, held, classes);
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
     * A Gram computed elsewhere (in another summation order, as a device's BLAS does: here the
     * features summed last to first, rounded differently from infodyn's kernels) gives the same
     * fits: the objective within 1e-9 and, on these well-conditioned data, the held-out bits
     * within 1e-6, cold and warm-started, at the default tolerance.
     */
    @ParameterizedTest(name = "{0} classes")
    @CsvSource({"2", "4"})
    void aGramFromADeviceGivesTheSameFitsWithinTheDocumentedTolerance(int classes) {
        Rng rng = new Rng(7 * classes);
        int n = 120;
        int held = 200;
        int d = 400;
        int[] fitLabels = balancedLabels(n, classes);
        int[] heldLabels = randomLabels(rng, held, classes);
        LinearDecoder.Settings settings = new LinearDecoder.Settings(1e-4, 500, 1e-9, true);
        ReversedGram device = new ReversedGram();
        LinearDecoder onDevice = new LinearDecoder(classes, d, settings, device);
        LinearDecoder own = new LinearDecoder(classes, d, settings);
        LabelCounts counts = LabelCounts.of(fitLabels, classes);
        for (int point = 0; point < 2; point++) {
            DesignMatrix fit = design(rng, fitLabels, n, d, point);
            DesignMatrix score = design(rng, heldLabels, held, d, point);
            onDevice.fit(fit, fitLabels, counts);
            own.fit(fit, fitLabels, counts);
            assertThat(onDevice.lastConverged()).as("converged on the device's Gram, point %d", point).isEqualTo(1.0);
            assertThat(onDevice.lastOptimum().value()).as("objective, point %d", point)
                    .isCloseTo(own.lastOptimum().value(), within(1e-9));
            assertThat(onDevice.evaluate(score, heldLabels).meanBits()).as("held-out bits, point %d", point)
                    .isCloseTo(own.evaluate(score, heldLabels).meanBits(), within(1e-6));
        }
        assertThat(device.calls).as("one Gram per point (the row space is shared by the fits of a design)").isEqualTo(2);
    }

    /** The device's blocks of columns cover every feature once, however the width divides. */
    @ParameterizedTest(name = "{0} samples × {1} features, blocks of {2} values")
    @CsvSource({"7, 23, 70", "7, 23, 7", "7, 23, 1000", "5, 3, 4", "3, 23, 30"})
    void theDevicesColumnBlocksAddUpToTheGram(int n, int d, int blockValues) {
        Rng rng = new Rng(n * 100 + d);
        double[][] rows = new double[n][d];
        double[][] columns = new double[d][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                rows[i][j] = rng.nextGaussian();
                columns[j][i] = rows[i][j];
            }
        }
        double[][] expected = new double[n][n];
        Kernels.addProductUpper(expected, rows, columns, 0, n, d);
        double[][] actual = new double[n][n];
        ReversedGram device = new ReversedGram();
        RowSpace.addGramUpper(actual, rows, d, device, blockValues);
        int width = Math.min(d, Math.max(n, blockValues / n)); // at least n columns a block
        assertThat(device.calls).isEqualTo((d + width - 1) / width);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertThat(actual[i][j]).as("(%d, %d)", i, j).isCloseTo(expected[i][j], within(j < i ? 0 : 1e-12));
            }
        }
    }

    /** A run that is stopping (its probe thread interrupted) stops between a device's column blocks. */
    @Test
    void aDeviceGramStopsBetweenBlocksWhenTheThreadIsInterrupted() {
        double[][] rows = new double[4][12];
        ReversedGram device = new ReversedGram() {
            @Override
            public double[] gram(double[] a, int n, int k) {
                Thread.currentThread().interrupt(); // the stop arrives during the first block
                return super.gram(a, n, k);
            }
        };
        try {
            assertThatThrownBy(() -> RowSpace.addGramUpper(new double[4][4], rows, 12, device, 16))
                    .isInstanceOf(CancellationException.class);
            assertThat(device.calls).as("blocks of 4 columns: stopped after the first of 3").isEqualTo(1);
        } finally {
            Thread.interrupted(); // clear the flag for the next test on this thread
        }
    }

    /** A Gram summed over the features last to first, counting its calls (not thread-safe: tests only). */
    private static class ReversedGram implements org.infodyn.api.backend.DeviceAlgebra {
        int calls;

        @Override
        public org.infodyn.api.backend.DeviceInfo device() {
            return org.infodyn.api.backend.DeviceInfo.hostCpu();
        }

        @Override
        public double[] gram(double[] a, int n, int k) {
            calls++;
            double[] g = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int l = k - 1; l >= 0; l--) {
                        s += a[i * k + l] * a[j * k + l];
                    }
                    g[i * n + j] = s;
                }
            }
            return g;
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
        int[] labels = balancedLabels(n, classes);
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
