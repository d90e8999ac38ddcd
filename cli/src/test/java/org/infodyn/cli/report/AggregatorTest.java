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
}
