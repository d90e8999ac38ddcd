package org.infodyn.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.infodyn.api.output.MetricRow;
import org.junit.jupiter.api.Test;

class AggregatorTest {
    @Test
    void studentQuantilesMatchTables() {
        // two-sided 95 % critical values from standard t tables
        assertThat(StudentT.quantile(0.975, 1)).isCloseTo(12.7062, within(1e-4));
        assertThat(StudentT.quantile(0.975, 2)).isCloseTo(4.3027, within(1e-4));
        assertThat(StudentT.quantile(0.975, 4)).isCloseTo(2.7764, within(1e-4));
        assertThat(StudentT.quantile(0.975, 9)).isCloseTo(2.2622, within(1e-4));
        assertThat(StudentT.quantile(0.975, 29)).isCloseTo(2.0452, within(1e-4));
        assertThat(StudentT.quantile(0.975, 1e6)).isCloseTo(1.9600, within(1e-4));
        assertThat(StudentT.quantile(0.025, 4)).isCloseTo(-2.7764, within(1e-4));
        assertThat(StudentT.cdf(0, 3)).isEqualTo(0.5);
    }

    private static RunRecord run(String condition, long seed, double... bitsAtSteps) {
        List<MetricRow> rows = new java.util.ArrayList<>();
        for (int i = 0; i < bitsAtSteps.length; i++) {
            rows.add(new MetricRow("r" + seed, "djl", seed, 0, i * 0.5, i * 10L, "hidden1", "color", "usable-information", "bits",
                    bitsAtSteps[i]));
        }
        return new RunRecord("r" + condition + seed, condition, seed, "djl", "completed", "", Map.of(), rows);
    }

    @Test
    void meanSdAndIntervalAreComputedByHand() {
        List<SummaryRow> rows = Aggregator.aggregate(List.of(run("a", 0, 0.1, 0.5), run("a", 1, 0.2, 0.7), run("a", 2, 0.6, 0.9),
                run("b", 0, 1.0, Double.NaN)));
        SummaryRow a0 = rows.get(0);
        assertThat(a0.condition()).isEqualTo("a");
        assertThat(a0.step()).isZero();
        assertThat(a0.n()).isEqualTo(3);
        assertThat(a0.mean()).isCloseTo(0.3, within(1e-12));
        // sd = sqrt(((0.1-0.3)^2 + (0.2-0.3)^2 + (0.6-0.3)^2) / 2) = sqrt(0.07)
        assertThat(a0.sd()).isCloseTo(Math.sqrt(0.07), within(1e-12));
        double half = 4.302652729911275 * Math.sqrt(0.07) / Math.sqrt(3);
        assertThat(a0.ciLow()).isCloseTo(0.3 - half, within(1e-8));
        assertThat(a0.ciHigh()).isCloseTo(0.3 + half, within(1e-8));
        assertThat(rows.get(1).mean()).isCloseTo(0.7, within(1e-12));
        assertThat(rows.get(1).epoch()).isEqualTo(0.5);
        SummaryRow b0 = rows.get(2);
        assertThat(b0.n()).isEqualTo(1);
        assertThat(b0.sd()).isZero();
        assertThat(b0.ciLow()).isNaN();
        SummaryRow b1 = rows.get(3); // a diverged run's NaN is left out, and n says so
        assertThat(b1.n()).isZero();
        assertThat(b1.mean()).isNaN();
    }

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
    void peaksFinalsAndDropsAreTakenPerSeedThenAveraged() {
        // the seeds peak at different steps, so the peak of the mean (0.45) is below the mean of the peaks (0.6)
        List<Extremes> ex = Extremes.of(List.of(run("a", 0, 0.1, 0.7, 0.3, 0.2), run("a", 1, 0.1, 0.2, 0.5, 0.0),
                run("b", 0, 0.2, Double.NaN)));
        assertThat(ex).hasSize(1); // b diverged: its final value is unknown, so it has no row
        Extremes a = ex.get(0);
        assertThat(a.condition()).isEqualTo("a");
        assertThat(a.peak().n()).isEqualTo(2);
        assertThat(a.peak().mean()).isCloseTo(0.6, within(1e-12));
        assertThat(a.last().mean()).isCloseTo(0.1, within(1e-12));
        assertThat(a.drop().mean()).isCloseTo(0.5, within(1e-12));
        // drops 0.5 and 0.5: sd 0, so the interval collapses onto the mean
        assertThat(a.drop().ciLow()).isCloseTo(0.5, within(1e-12));
        assertThat(a.peakStep()).isEqualTo(15.0); // median of steps 10 and 20
        assertThat(a.peakEpoch()).isEqualTo(0.75);
        assertThat(Estimate.of(1, 2, Double.NaN).format()).isEqualTo("1.500 [-4.853, 7.853] (n=2)");
        assertThat(Estimate.of().format()).isEqualTo("n/a");
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
