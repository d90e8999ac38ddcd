package org.infodyn.engine.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.infodyn.engine.output.MetricRow;
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
        List<MetricRow> rows = new ArrayList<>();
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
}
