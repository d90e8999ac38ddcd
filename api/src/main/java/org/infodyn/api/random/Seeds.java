package org.infodyn.api.random;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent seeds for each random purpose from a run's seed, so that changing one
 * part of an experiment (say, the batch size) leaves every other random choice (data, split,
 * initial parameters) unchanged.
 *
 * <p>{@code derive(seed, purpose) = Rng.mix(seed ^ fnv1a64(purpose))}, where {@code fnv1a64} is
 * the 64-bit FNV-1a hash of the purpose's UTF-8 bytes. The purposes infodyn uses are listed in
 * the run manifest with their derived values.
 */
public final class Seeds {
    /** Purpose of the task's data generation (and split). */
    public static final String DATA = "data";
    /** Purpose of the network's initial parameters. */
    public static final String INIT = "init";
    /** Purpose of the batch order. */
    public static final String BATCHES = "batches";
    /** Purpose of the choice of decoder fit samples from the train split. */
    public static final String PROBE_FIT = "probe-fit";
    /** Purpose of the probes' own randomness (e.g. MLP decoder initialisation). */
    public static final String PROBES = "probes";

    private Seeds() {
    }

    /** A seed for {@code purpose}, derived from {@code seed}. */
    public static long derive(long seed, String purpose) {
        return Rng.mix(seed ^ fnv1a64(purpose));
    }

    /** A generator for {@code purpose}, derived from {@code seed}. */
    public static Rng rng(long seed, String purpose) {
        return new Rng(derive(seed, purpose));
    }

    /** 64-bit FNV-1a of the UTF-8 bytes of {@code s}. */
    public static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
