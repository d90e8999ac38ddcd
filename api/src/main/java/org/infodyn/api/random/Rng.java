package org.infodyn.api.random;

/**
 * infodyn's pseudo-random generator: SplitMix64 (Steele, Lea &amp; Flood 2014), written out here
 * so that every random choice infodyn makes (data, splits, batch order, initial parameters,
 * decoder initialisation) is specified exactly and can be reproduced outside the JVM.
 *
 * <ul>
 *   <li>state advances by {@code 0x9E3779B97F4A7C15}; output = mix(state) with the
 *       SplitMix64 finaliser (see {@link #mix});
 *   <li>{@link #nextDouble()}: the top 53 bits of the output times 2<sup>-53</sup>, in [0, 1);
 *   <li>{@link #nextInt(int)}: rejection sampling on the top 31 bits (unbiased);
 *   <li>{@link #nextGaussian()}: Box–Muller on two {@code nextDouble()} draws, no caching;
 *   <li>{@link #permutation(int)}: Fisher–Yates from the last position down.
 * </ul>
 *
 * Not thread-safe; derive one generator per purpose with {@link Seeds#derive}.
 */
public final class Rng {
    private long state;

    /** A generator whose sequence is fully determined by {@code seed}. */
    public Rng(long seed) {
        this.state = seed;
    }

    /** The SplitMix64 finaliser: a bijective 64-bit mix. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1), 53 bits of precision. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), unbiased. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        int limit = Integer.MAX_VALUE - (Integer.MAX_VALUE % bound + 1) % bound; // largest multiple − 1
        while (true) {
            int r = (int) (nextLong() >>> 33);
            if (r <= limit) {
                return r % bound;
            }
        }
    }

    /** Standard normal by Box–Muller: {@code sqrt(-2 ln(1-u1)) cos(2π u2)}. */
    public double nextGaussian() {
        double u1 = nextDouble();
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** True with probability {@code p}. */
    public boolean nextBoolean(double p) {
        return nextDouble() < p;
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates, last position first). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }

    /** Shuffles the array in place (Fisher–Yates, last position first). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
