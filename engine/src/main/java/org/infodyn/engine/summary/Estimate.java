package org.infodyn.engine.summary;

import java.util.Locale;

/**
 * The mean of a sample of per-seed values with its 95 % confidence interval,
 * {@code mean ± t(0.975, n−1) · sd / √n}. Non-finite values (a diverged run) are left out and
 * {@code n} says how many remain.
 *
 * @param n number of finite values
 * @param mean their mean (NaN when n = 0)
 * @param sd sample standard deviation (n − 1 in the denominator; 0 when n = 1, NaN when n = 0)
 * @param ciLow lower end of the interval (NaN when n &lt; 2)
 * @param ciHigh upper end
 */
public record Estimate(int n, double mean, double sd, double ciLow, double ciHigh) {

    /** The estimate of {@code values}' mean. */
    public static Estimate of(double... values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        double mean = n > 0 ? sum / n : Double.NaN;
        double ss = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : (n == 1 ? 0 : Double.NaN);
        double half = n > 1 ? StudentT.quantile(0.975, n - 1) * sd / Math.sqrt(n) : Double.NaN;
        return new Estimate(n, mean, sd, mean - half, mean + half);
    }

    /** {@code 0.123 [0.100, 0.146] (n=5)}, or {@code n/a}. */
    public String format() {
        if (!Double.isFinite(mean)) {
            return "n/a";
        }
        if (n < 2) {
            return String.format(Locale.ROOT, "%.3f (n=%d)", mean, n);
        }
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f] (n=%d)", mean, ciLow, ciHigh, n);
    }
}
