package org.infodyn.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart as self-contained SVG: a mean line and a shaded band per series (and, when
 * given, one thin line per seed underneath, because seed variance of a transient is large), the x axis
 * (training step) log-scaled because the interesting transients are early, step 0 drawn at the
 * left edge. No scripts, no fonts fetched: it renders the same in a browser, an editor or a paper.
 */
public final class SvgPlot {
    /** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
    public static final List<String> PALETTE = List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
            "#F0E442", "#000000");

    private static final int W = 380;
    private static final int H = 250;
    private static final int LEFT = 52;
    private static final int RIGHT = 12;
    private static final int TOP = 28;
    private static final int BOTTOM = 40;
    /** Fraction of the width between step 0 and the first positive step. */
    private static final double ZERO_GAP = 0.06;

    /**
     * One series.
     *
     * @param label legend text
     * @param color CSS colour
     * @param steps x values (steps, ascending)
     * @param mean y values
     * @param low band bottom (NaN: no band at that point)
     * @param high band top
     * @param traces the individual runs behind the mean, drawn thin (may be empty)
     */
    public record Series(String label, String color, long[] steps, double[] mean, double[] low, double[] high, List<Trace> traces) {
        public Series {
            traces = List.copyOf(traces);
        }

        /** A series without per-run traces. */
        public Series(String label, String color, long[] steps, double[] mean, double[] low, double[] high) {
            this(label, color, steps, mean, low, high, List.of());
        }
    }

    /**
     * One run's curve.
     *
     * @param label tooltip text (e.g. {@code seed 3})
     * @param steps x values, ascending
     * @param values y values (NaN: a gap)
     */
    public record Trace(String label, long[] steps, double[] values) {
    }

    private SvgPlot() {
    }

    /**
     * The chart.
     *
     * @param title title above the plot
     * @param yLabel y axis label
     * @param series the series; empty draws an empty frame
     * @param yFloor a value the y range must include (e.g. 0 for bits), or NaN
     */
    public static String render(String title, String yLabel, List<Series> series, double yFloor) {
        Scale sc = scale(series, yFloor);
        List<double[]> legend = legendLayout(series);
        int height = H + (legend.isEmpty() ? 0 : (int) legend.get(legend.size() - 1)[1] + 8 - H);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"%s\">%n", W, height, W, height,
                esc(title)));
        sb.append(String.format("<title>%s</title>%n", esc(title)));
        sb.append(String.format("<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", W, height));
        // the legend, so that a figure file stands on its own (in a paper, a doc, a slide)
        for (int i = 0; i < legend.size(); i++) {
            double x = legend.get(i)[0];
            double y = legend.get(i)[1];
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\" fill=\"#333\">%s</text>%n", x, y - 4, x + 18, y - 4, series.get(i).color(), x + 23, y,
                    esc(series.get(i).label())));
        }
        sb.append(String.format("<text x=\"%d\" y=\"17\" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">%s</text>%n", LEFT, esc(title)));
        axes(sb, sc, yLabel);
        String clip = "plot-" + Integer.toHexString((title + "|" + yLabel).hashCode());
        sb.append(String.format("<clipPath id=\"%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/></clipPath>%n", clip,
                LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM));
        sb.append(String.format("<g clip-path=\"url(#%s)\">%n", clip));
        data(sb, sc, series);
        sb.append("</g>\n</svg>\n");
        return sb.toString();
    }

    /** The plot's ranges: every step on a log axis; the means and the seeds' own values in view, with a margin. */
    private static Scale scale(List<Series> series, double yFloor) {
        long minPos = Long.MAX_VALUE;
        long maxStep = 1;
        double yMin = Double.isNaN(yFloor) ? Double.POSITIVE_INFINITY : yFloor;
        double yMax = Double.isNaN(yFloor) ? Double.NEGATIVE_INFINITY : yFloor;
        for (Series s : series) {
            for (Trace t : s.traces()) {
                for (int i = 0; i < t.steps().length; i++) {
                    maxStep = Math.max(maxStep, t.steps()[i]);
                    if (t.steps()[i] > 0) {
                        minPos = Math.min(minPos, t.steps()[i]);
                    }
                    // seeds' own values are data, not an extrapolation like a band: keep them in view
                    if (Double.isFinite(t.values()[i])) {
                        yMin = Math.min(yMin, t.values()[i]);
                        yMax = Math.max(yMax, t.values()[i]);
                    }
                }
            }
            for (int i = 0; i < s.steps().length; i++) {
                if (s.steps()[i] > 0) {
                    minPos = Math.min(minPos, s.steps()[i]);
                }
                maxStep = Math.max(maxStep, s.steps()[i]);
                // The range follows the means; bands are clipped to the plot. With two or three
                // seeds a 95 % band can be ten times wider than the effect and would flatten it.
                double v = s.mean()[i];
                if (Double.isFinite(v)) {
                    yMin = Math.min(yMin, v);
                    yMax = Math.max(yMax, v);
                }
            }
        }
        if (minPos == Long.MAX_VALUE) {
            minPos = 1;
        }
        if (!(yMax > yMin)) {
            yMin = Double.isFinite(yMin) ? yMin - 0.5 : 0;
            yMax = yMin + 1;
        }
        double pad = 0.08 * (yMax - yMin);
        yMin -= Double.isNaN(yFloor) || yMin < yFloor ? pad : 0;
        yMax += pad;
        double[] yTicks = niceTicks(yMin, yMax);
        yMin = Math.min(yMin, yTicks[0]);
        yMax = Math.max(yMax, yTicks[yTicks.length - 1]);
        return new Scale(minPos, Math.max(maxStep, minPos * 10), yMin, yMax, yTicks);
    }

    /** The grid, the ticks of both axes (0 and powers of ten for steps), the frame and the axis labels. */
    private static void axes(StringBuilder sb, Scale sc, String yLabel) {
        for (double t : sc.yTicks()) {
            double y = sc.y(t);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>%n",
                    LEFT, y, W - RIGHT, y, t == 0 ? "#999" : "#e6e6e6"));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">%s</text>%n",
                    LEFT - 5, y + 4, tick(t)));
        }
        List<Long> xTicks = new ArrayList<>(List.of(0L));
        for (long p = 1; p <= sc.maxStep; p *= 10) {
            if (p >= sc.minPos) {
                xTicks.add(p);
            }
        }
        for (long t : xTicks) {
            double x = sc.x(t);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e6e6e6\"/>%n", x, TOP, x, H - BOTTOM));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s</text>%n",
                    x, H - BOTTOM + 14, t == 0 ? "0" : t >= 1000 ? "1e" + Math.round(Math.log10(t)) : String.valueOf(t)));
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
                LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM));
        sb.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#333\">training step (log scale)</text>%n",
                LEFT + (W - LEFT - RIGHT) / 2, H - 8));
        sb.append(String.format("<text transform=\"translate(13 %d) rotate(-90)\" text-anchor=\"middle\" fill=\"#333\">%s</text>%n",
                TOP + (H - TOP - BOTTOM) / 2, esc(yLabel)));
    }

    /** The seeds' thin lines first, then per series its band, isolated points and mean line on top. */
    private static void data(StringBuilder sb, Scale sc, List<Series> series) {
        for (Series s : series) {
            for (Trace t : s.traces()) {
                for (String line : linePaths(t.steps(), t.values(), sc)) {
                    sb.append(String.format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-opacity=\"0.45\" stroke-width=\"0.7\">"
                            + "<title>%s</title></path>%n", line, s.color(), esc(s.label() + ", " + t.label())));
                }
            }
        }
        for (Series s : series) {
            for (String band : bandPaths(s, sc)) {
                sb.append(String.format("<path d=\"%s\" fill=\"%s\" fill-opacity=\"0.18\" stroke=\"none\"/>%n", band, s.color()));
            }
            // isolated points (a one-point series, a value between gaps) would draw no line: mark them
            for (int i = 0; i < s.steps().length; i++) {
                boolean prev = i > 0 && Double.isFinite(s.mean()[i - 1]);
                boolean next = i + 1 < s.steps().length && Double.isFinite(s.mean()[i + 1]);
                if (Double.isFinite(s.mean()[i]) && !prev && !next) {
                    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s</title></circle>%n",
                            sc.x(s.steps()[i]), sc.y(s.mean()[i]), s.color(), esc(s.label())));
                }
            }
            for (String line : linePaths(s.steps(), s.mean(), sc)) {
                sb.append(String.format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" stroke-linejoin=\"round\">"
                        + "<title>%s</title></path>%n", line, s.color(), esc(s.label())));
            }
        }
    }

    /** Legend entries' positions {x, baseline y}, wrapped into rows under the x axis label; none for a single series. */
    private static List<double[]> legendLayout(List<Series> series) {
        List<double[]> out = new ArrayList<>();
        if (series.size() < 2) {
            return out;
        }
        double x = LEFT;
        double y = H + 6;
        for (Series s : series) {
            double w = 23 + 6.0 * s.label().length() + 14; // a rough width of 11 px Helvetica
            if (x > LEFT && x + w > W - RIGHT) {
                x = LEFT;
                y += 15;
            }
            out.add(new double[] {x, y});
            x += w;
        }
        return out;
    }

    private record Scale(long minPos, long maxStep, double yMin, double yMax, double[] yTicks) {
        double x(long step) {
            double u = step <= 0 ? 0 : ZERO_GAP + (1 - ZERO_GAP) * (Math.log10(step) - Math.log10(minPos))
                    / Math.max(1e-9, Math.log10(maxStep) - Math.log10(minPos));
            return LEFT + u * (W - LEFT - RIGHT);
        }

        double y(double v) {
            return TOP + (1 - (v - yMin) / (yMax - yMin)) * (H - TOP - BOTTOM);
        }
    }

    private static List<String> linePaths(long[] steps, double[] values, Scale sc) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < steps.length; i++) {
            if (!Double.isFinite(values[i])) {
                flush(out, cur);
                continue;
            }
            cur.append(cur.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f ", sc.x(steps[i]), sc.y(values[i])));
        }
        flush(out, cur);
        return out;
    }

    private static List<String> bandPaths(Series s, Scale sc) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.steps().length;
        while (i < n) {
            while (i < n && !(Double.isFinite(s.low()[i]) && Double.isFinite(s.high()[i]))) {
                i++;
            }
            int start = i;
            while (i < n && Double.isFinite(s.low()[i]) && Double.isFinite(s.high()[i])) {
                i++;
            }
            if (i - start >= 2) {
                StringBuilder p = new StringBuilder();
                for (int j = start; j < i; j++) {
                    p.append(j == start ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f ", sc.x(s.steps()[j]), sc.y(s.high()[j])));
                }
                for (int j = i - 1; j >= start; j--) {
                    p.append(String.format(Locale.ROOT, "L%.1f %.1f ", sc.x(s.steps()[j]), sc.y(s.low()[j])));
                }
                out.add(p.append('Z').toString());
            }
        }
        return out;
    }

    private static void flush(List<String> out, StringBuilder cur) {
        if (cur.length() > 0) {
            out.add(cur.toString().trim());
            cur.setLength(0);
        }
    }

    /** Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k, four to eight ticks. */
    static double[] niceTicks(double lo, double hi) {
        double span = hi - lo;
        double raw = span / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (raw <= m * mag) {
                step = m * mag;
                break;
            }
        }
        double first = Math.floor(lo / step) * step;
        double last = Math.ceil(hi / step) * step;
        int count = (int) Math.round((last - first) / step) + 1;
        double[] t = new double[count];
        for (int i = 0; i < count; i++) {
            t[i] = first + i * step;
            if (Math.abs(t[i]) < step * 1e-9) {
                t[i] = 0;
            }
        }
        return t;
    }

    private static String tick(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.valueOf((long) v);
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** Escapes text for XML/HTML. */
    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
