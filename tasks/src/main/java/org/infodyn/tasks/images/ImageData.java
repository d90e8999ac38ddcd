package org.infodyn.tasks.images;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.infodyn.api.random.Rng;

/**
 * Images with fine labels, before they become a {@link org.infodyn.api.data.Dataset}: the common
 * middle step of the image tasks (subsampling, normalisation).
 *
 * @param channels C
 * @param height H
 * @param width W
 * @param pixels {@code n × C·H·W} unsigned bytes, channels first
 * @param fine fine labels
 * @param extra other per-image labels of the format (CIFAR-100's coarse label), possibly empty
 */
public record ImageData(int channels, int height, int width, byte[] pixels, int[] fine, List<int[]> extra) {

    /** Number of images. */
    public int count() {
        return fine.length;
    }

    /** Values per image. */
    public int size() {
        return channels * height * width;
    }

    /** These images followed by {@code other}'s (same geometry). */
    public ImageData concat(ImageData other) {
        byte[] px = Arrays.copyOf(pixels, pixels.length + other.pixels.length);
        System.arraycopy(other.pixels, 0, px, pixels.length, other.pixels.length);
        int[] f = Arrays.copyOf(fine, fine.length + other.fine.length);
        System.arraycopy(other.fine, 0, f, fine.length, other.fine.length);
        List<int[]> ex = new ArrayList<>();
        for (int j = 0; j < extra.size(); j++) {
            int[] e = Arrays.copyOf(extra.get(j), count() + other.count());
            System.arraycopy(other.extra.get(j), 0, e, count(), other.count());
            ex.add(e);
        }
        return new ImageData(channels, height, width, px, f, ex);
    }

    /**
     * Indices of at most {@code perClass} images of each fine class (all when {@code perClass}
     * is 0), chosen with a seeded permutation, in ascending order.
     */
    public int[] subsample(int perClass, int fineClasses, Rng rng) {
        return subsample(fine, perClass, fineClasses, rng);
    }

    /**
     * Indices of at most {@code perClass} samples of each class (all when {@code perClass} is 0),
     * chosen with a seeded permutation, in ascending order.
     *
     * @param labels the class of each sample, in {@code [0, classes)}
     */
    static int[] subsample(int[] labels, int perClass, int classes, Rng rng) {
        if (perClass <= 0) {
            int[] all = new int[labels.length];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] perm = rng.permutation(labels.length);
        int[] taken = new int[classes];
        int[] out = new int[labels.length];
        int k = 0;
        for (int i : perm) {
            if (taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                out[k++] = i;
            }
        }
        int[] chosen = Arrays.copyOf(out, k);
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * The chosen images as floats, {@code (v / 255 − mean[c]) / sd[c]} per channel c, or just
     * {@code v / 255} when {@code mean} is null.
     */
    public float[] normalized(int[] chosen, float[] mean, float[] sd) {
        int s = size();
        int plane = height * width;
        float[] out = new float[chosen.length * s];
        for (int i = 0; i < chosen.length; i++) {
            int src = chosen[i] * s;
            int dst = i * s;
            for (int c = 0; c < channels; c++) {
                float m = mean == null ? 0 : mean[c];
                float inv = mean == null ? 1 : 1 / sd[c];
                for (int p = 0; p < plane; p++) {
                    int o = c * plane + p;
                    out[dst + o] = ((pixels[src + o] & 0xff) / 255f - m) * inv;
                }
            }
        }
        return out;
    }
}
