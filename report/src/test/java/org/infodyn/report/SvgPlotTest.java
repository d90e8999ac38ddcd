package org.infodyn.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SvgPlotTest {
    @Test
    void svgTicksAreRoundAndCoverTheRange() {
        assertThat(SvgPlot.niceTicks(0, 1)).containsExactly(0, 0.2, 0.4, 0.6000000000000001, 0.8, 1);
        double[] t = SvgPlot.niceTicks(-0.07, 0.93);
        assertThat(t[0]).isLessThanOrEqualTo(-0.07);
        assertThat(t[t.length - 1]).isGreaterThanOrEqualTo(0.93);
        String svg = SvgPlot.render("hidden3 · color", "bits", List.of(new SvgPlot.Series("a", "#0072B2", new long[] {0, 10, 100},
                new double[] {0, 0.5, 0.1}, new double[] {0, 0.4, Double.NaN}, new double[] {0, 0.6, Double.NaN})), 0);
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").contains("<path d=\"M").contains("fill-opacity=\"0.18\"")
                .contains("hidden3 · color").doesNotContain("NaN").endsWith("</svg>\n");
    }

    @Test
    void figuresDrawEverySeedAndCarryTheirOwnLegend() {
        SvgPlot.Series a = new SvgPlot.Series("lr=0.05", "#0072B2", new long[] {0, 10}, new double[] {0.2, 0.4}, new double[] {0.1, 0.3},
                new double[] {0.3, 0.5}, List.of(new SvgPlot.Trace("seed 0", new long[] {0, 10}, new double[] {0.1, 0.9}),
                        new SvgPlot.Trace("seed 1", new long[] {0, 10}, new double[] {0.3, -0.1})));
        SvgPlot.Series b = new SvgPlot.Series("lr=0.005", "#D55E00", new long[] {0, 10}, new double[] {0.1, 0.1}, new double[] {0.1, 0.1},
                new double[] {0.1, 0.1});
        String svg = SvgPlot.render("hidden3 · color", "bits", List.of(a, b), 0);
        assertThat(svg).contains("<title>lr=0.05, seed 0</title>").contains("<title>lr=0.05, seed 1</title>")
                .contains(">lr=0.05</text>").contains(">lr=0.005</text>");
        // the y range follows the seeds, not only the means: 0.9 and -0.1 are inside it
        assertThat(svg).contains(">1</text>").contains(">-0.5</text>");
        assertThat(SvgPlot.render("t", "bits", List.of(b), 0)).doesNotContain(">lr=0.005</text>"); // one series: no legend
    }
}
