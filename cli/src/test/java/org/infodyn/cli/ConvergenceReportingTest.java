package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.infodyn.engine.output.Json;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decoder fit that stops at its iteration budget is never silent: the probe writes it
 * ({@code decoder_converged} 0), the run says so on the console and in its manifest, and a
 * sweep's report flags the run.
 */
class ConvergenceReportingTest {
    @TempDir
    Path dir;

    static final String EXPERIMENT = """
            name: budget
            task: {id: checkerboard, samples: 1000}
            model: {id: mlp, hidden: [16, 2]}
            train:
              phases:
                - {epochs: 1, lr: 0.05, batch: 32}
            probes:
              - {id: usable-information, layers: [hidden1], variables: [config], fitSamples: 400, maxIterations: 2}
            schedule: {steps: [0, 10, 20]}
            """;

    @Test
    void aFitAtItsBudgetIsNotedRecordedAndFlaggedInTheReport() throws Exception {
        Path exp = Files.writeString(dir.resolve("budget.yaml"), EXPERIMENT);
        CliHarness.Result r = CliHarness.run("run", exp.toString(), "--backend", "tf", "--out", dir.resolve("out").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path run = dir.resolve("out/budget-tf-seed0");
        List<Double> flags = MetricsCsv.read(run.resolve("metrics.csv")).stream().filter(x -> x.metric().equals("decoder_converged"))
                .map(MetricRow::value).toList();
        long zeros = flags.stream().filter(v -> v == 0).count();
        assertThat(zeros).as("two iterations do not fit a 4-class decoder from scratch").isPositive();
        assertThat(flags).as("the flag is 0 or 1").allMatch(v -> v == 0 || v == 1);
        assertThat(r.err()).contains("infodyn: note: run budget-tf-seed0: usable-information: " + zeros + " of " + flags.size()
                + " measurements stopped at their estimator's budget (decoder_converged = 0, first at step 0)");
        Map<String, Object> m = Json.readObject(run.resolve("manifest.json"));
        assertThat(String.valueOf(m.get("not_converged"))).isEqualTo("{usable-information={metric=decoder_converged, not_converged="
                + zeros + ", of=" + flags.size() + ", first_step=0}}");

        Path sweep = Files.writeString(dir.resolve("sweep.yaml"), EXPERIMENT + "sweep:\n  seeds: [0, 1]\n");
        CliHarness.Result s = CliHarness.run("sweep", sweep.toString(), "--backend", "tf", "--out", dir.resolve("sweep").toString(), "-q");
        assertThat(s.exitCode()).as(s.toString()).isZero();
        assertThat(Files.readString(dir.resolve("sweep/report.html"))).contains("estimates at their budget",
                "<td class=\"bad\" title=\"values measured by an estimator that stopped at its iteration budget are less certain\">"
                        + "usable-information: ");
    }
}
