package org.infodyn.probes.decoder;

import java.util.Locale;

import org.infodyn.api.random.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Timing of linear fits on a wide layer (not a test: it asserts nothing and is skipped unless
 * {@code -Dinfodyn.timing=true}): 2,000 fit and 1,000 held-out samples of 6,272 ReLU features
 * (the size of cnn-small's first block on MNIST), binary and 10-class labels of a latent code,
 * fitted in the samples' row space: the shared setup, then each fit cold and warm-started at a
 * drifted next point, and the held-out cross-entropy at several gradient tolerances. Run with
 * {@code mvn -o -pl probes test -Dtest=WideLayerTiming -Dinfodyn.timing=true} and read
 * {@code probes/target/surefire-reports/*WideLayerTiming-output.txt}.
 */
@EnabledIfSystemProperty(named = "infodyn.timing", matches = "true")
class WideLayerTiming {
    private static final int N = Integer.getInteger("infodyn.timing.n", 2000);
    private static final int HELD = 1000;
    private static final int D = Integer.getInteger("infodyn.timing.d", 6272);
    private static final int LATENT = 24;

    /** ReLU features of latent codes through a random map, z-scored with the first N rows' statistics. */
    private static DesignMatrix[] layer(double[][] latent, double[][] map, Rng rng) {
        int total = latent.length;
        double[] v = new double[total * D];
        for (int i = 0; i < total; i++) {
            for (int j = 0; j < D; j++) {
                double s = 0.3 * rng.nextGaussian();
                for (int q = 0; q < LATENT; q++) {
                    s += map[j][q] * latent[i][q];
                }
                v[i * D + j] = Math.max(0, s);
            }
        }
        for (int j = 0; j < D; j++) {
            double mean = 0;
            for (int i = 0; i < N; i++) {
                mean += v[i * D + j];
            }
            mean /= N;
            double var = 0;
            for (int i = 0; i < N; i++) {
                var += (v[i * D + j] - mean) * (v[i * D + j] - mean);
            }
            double scale = var > 0 ? 1 / Math.sqrt(var / N) : 0;
            for (int i = 0; i < total; i++) {
                v[i * D + j] = (v[i * D + j] - mean) * scale;
            }
        }
        double[] fit = new double[N * D];
        double[] held = new double[(total - N) * D];
        System.arraycopy(v, 0, fit, 0, fit.length);
        System.arraycopy(v, fit.length, held, 0, held.length);
        return new DesignMatrix[] {DesignMatrix.ofRowMajor(fit, N, D), DesignMatrix.ofRowMajor(held, total - N, D)};
    }

    private static String fit(LinearDecoder decoder, DesignMatrix[] x, int[] labels, int classes) {
        int[] fitLabels = java.util.Arrays.copyOfRange(labels, 0, N);
        int[] heldLabels = java.util.Arrays.copyOfRange(labels, N, labels.length);
        long t0 = System.nanoTime();
        decoder.fit(x[0], fitLabels, LabelCounts.of(fitLabels, classes));
        double s = (System.nanoTime() - t0) / 1e9;
        Optimum o = decoder.lastOptimum();
        double ce = decoder.evaluate(x[1], heldLabels).meanBits();
        return String.format(Locale.ROOT, "%6.2f s  %4d iterations  %-16s held-out CE %.6f bits", s, o.iterations(), o.termination(), ce);
    }

    @Test
    void wideLayer() {
        Rng rng = new Rng(22);
        double[][] latent = new double[N + HELD][LATENT];
        for (double[] row : latent) {
            for (int q = 0; q < LATENT; q++) {
                row[q] = rng.nextGaussian();
            }
        }
        double[][] map = new double[D][LATENT];
        for (double[] row : map) {
            for (int q = 0; q < LATENT; q++) {
                row[q] = rng.nextGaussian() / Math.sqrt(LATENT);
            }
        }
        int[] binary = new int[N + HELD];
        int[] ten = new int[N + HELD];
        for (int i = 0; i < N + HELD; i++) {
            binary[i] = latent[i][0] + 0.5 * rng.nextGaussian() > 0 ? 1 : 0;
            ten[i] = Math.floorMod((int) Math.floor(2 * latent[i][1]) + 3 * (latent[i][2] > 0 ? 1 : 0), 10);
        }
        DesignMatrix[] first = layer(latent, map, rng);
        for (double[] row : map) {
            for (int q = 0; q < LATENT; q++) {
                row[q] += 0.02 * rng.nextGaussian() / Math.sqrt(LATENT);
            }
        }
        DesignMatrix[] next = layer(latent, map, rng);
        System.out.printf(Locale.ROOT, "%d fit, %d held-out samples × %d features%n", N, HELD, D);
        {
            DesignMatrix x = first[0];
            double[][] rows = new double[N][];
            double[][] columns = new double[D][];
            for (int i = 0; i < N; i++) {
                rows[i] = x.row(i);
            }
            for (int j = 0; j < D; j++) {
                columns[j] = x.column(j);
            }
            long g0 = System.nanoTime();
            double[][] a = new double[N][N];
            Kernels.addProductUpper(a, rows, columns, 0, N, D);
            long g1 = System.nanoTime();
            int[] order = new int[N];
            for (int i = 0; i < N; i++) {
                order[i] = i;
            }
            int rank = BlockedCholesky.factorInPlace(a, N, order, 1e-12 * D);
            long g2 = System.nanoTime();
            int moved = 0;
            for (int i = 0; i < N; i++) {
                moved += order[i] != i ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "Gram %.2f s (%.1f GFMA/s); pivoted Cholesky %.2f s (rank %d, %d samples moved)%n", (g1 - g0) / 1e9,
                    (double) N * N / 2 * D / (g1 - g0), (g2 - g1) / 1e9, rank, moved);
        }
        long t0 = System.nanoTime();
        RowSpace space = RowSpace.of(first[0]);
        long t1 = System.nanoTime();
        new GramPreconditioner(space.basis(), 1, 0.25, 0.5e-4);
        long t2 = System.nanoTime();
        new GramPreconditioner(space.basis(), 10, 0.5, 1e-4);
        long t3 = System.nanoTime();
        System.out.printf(Locale.ROOT, "setup: row space (Gram + pivoted Cholesky, rank %d) %.2f s; preconditioners %.2f s (binary), %.2f s (multinomial)%n",
                space.rank(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        {
            DesignMatrix z = space.basis();
            int[] targets = new int[N];
            for (int p = 0; p < N; p++) {
                targets[p] = ten[space.sample(p)];
            }
            MultinomialObjective f = new MultinomialObjective(z, targets, 10, 1e-4);
            GramPreconditioner m = new GramPreconditioner(z, 10, 0.5, 1e-4);
            double[] theta = new double[f.dimension()];
            double[] grad = new double[f.dimension()];
            Rng r = new Rng(5);
            for (int i = 0; i < theta.length; i++) {
                theta[i] = 0.01 * r.nextGaussian();
            }
            for (int rep = 0; rep < 3; rep++) {
                long a = System.nanoTime();
                for (int i = 0; i < 20; i++) {
                    f.valueAndGradient(theta, grad);
                }
                long b = System.nanoTime();
                for (int i = 0; i < 20; i++) {
                    m.applyInverse(grad);
                }
                long c = System.nanoTime();
                System.out.printf(Locale.ROOT, "10 classes in the row space: value+gradient %.1f ms, preconditioner %.1f ms%n",
                        (b - a) / 20e6, (c - b) / 20e6);
            }
        }
        for (double tolerance : new double[] {1e-9, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3}) {
            LinearDecoder.Settings settings = new LinearDecoder.Settings(1e-4, 500, tolerance, true);
            LinearDecoder two = new LinearDecoder(2, D, settings);
            LinearDecoder many = new LinearDecoder(10, D, settings);
            System.out.printf(Locale.ROOT, "tolerance %.0e binary      cold %s%n", tolerance, fit(two, first, binary, 2));
            System.out.printf(Locale.ROOT, "tolerance %.0e 10 classes  cold %s%n", tolerance, fit(many, first, ten, 10));
            System.out.printf(Locale.ROOT, "tolerance %.0e binary      warm %s%n", tolerance, fit(two, next, binary, 2));
            System.out.printf(Locale.ROOT, "tolerance %.0e 10 classes  warm %s%n", tolerance, fit(many, next, ten, 10));
        }
    }
}
