package org.infodyn.tasks.io;

/**
 * Standardisation with the statistics of the train split only, so that nothing of the probe
 * split leaks into what the network is trained on.
 */
public final class Standardize {
    private Standardize() {
    }

    /**
     * Z-scores {@code x} in place, per channel: samples are {@code [channels, plane]} row-major
     * (a table is {@code channels} = features, {@code plane} = 1; an image {@code [C, H·W]}). Each
     * channel's mean and population standard deviation are taken over the train samples and all
     * positions of the plane, in two passes (no cancellation when a mean is large); a channel whose
     * sd is below {@code 1e-12 · max(1, |mean|)} (a constant) is centred only.
     *
     * @param train the indices of the train samples
     */
    public static void perChannel(float[] x, int channels, int plane, int[] train) {
        int sample = channels * plane;
        int n = x.length / sample;
        double count = (double) train.length * plane;
        double[] mean = new double[channels];
        for (int i : train) {
            for (int c = 0; c < channels; c++) {
                int base = i * sample + c * plane;
                for (int p = 0; p < plane; p++) {
                    mean[c] += x[base + p];
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            mean[c] /= count;
        }
        double[] sq = new double[channels];
        for (int i : train) {
            for (int c = 0; c < channels; c++) {
                int base = i * sample + c * plane;
                for (int p = 0; p < plane; p++) {
                    double d = x[base + p] - mean[c];
                    sq[c] += d * d;
                }
            }
        }
        double[] inv = new double[channels];
        for (int c = 0; c < channels; c++) {
            double sd = Math.sqrt(sq[c] / count);
            inv[c] = sd > 1e-12 * Math.max(1, Math.abs(mean[c])) ? 1 / sd : 1;
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = i * sample + c * plane;
                for (int p = 0; p < plane; p++) {
                    x[base + p] = (float) ((x[base + p] - mean[c]) * inv[c]);
                }
            }
        }
    }
}
