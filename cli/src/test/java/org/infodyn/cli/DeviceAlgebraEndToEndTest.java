package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.infodyn.engine.output.Json;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code linearAlgebra: backend} as a user sets it: the convolutional blocks' Gram matrices are
 * computed by the training backend (here on the CPU, the only device this machine has), and
 * every measurement equals the one of the same probe computing them itself, within the
 * documented 2e-5 × max(1, held-out CE in bits) (DESIGN §5: the conditioning of the fit; a
 * decoder that over-fits 60 samples to a held-out CE of 35 bits moved by 1.3e-4 bits here, 3.8e-6
 * of its CE); the manifest records the setting.
 */
class DeviceAlgebraEndToEndTest {
    @TempDir
    Path dir;

    /** The agreement experiment, shared with bench/device-check.sh (which runs it on a GPU). */
    static final Path EXPERIMENT = DocumentationLinksTest.ROOT.resolve("bench/gram-agreement.yaml");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"djl", "tf", "dl4j"})
    void theBackendsGramGivesTheSameBitsAsInfodynsOwn(String backend) throws Exception {
        CliHarness.Result r = CliHarness.run("run", EXPERIMENT.toString(), "--backend", backend, "--out", dir.resolve("out").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path run = dir.resolve("out/gram-" + backend + "-seed0");
        List<MetricRow> rows = MetricsCsv.read(run.resolve("metrics.csv"));
        Map<String, Double> own = metric(rows, "own", "bits");
        Map<String, Double> device = metric(rows, "device", "bits");
        Map<String, Double> heldOutCe = metric(rows, "own", "decoder_eval_ce_bits");
        assertThat(own).as("2 points × 2 layers × the task's variables").hasSizeGreaterThanOrEqualTo(8);
        assertThat(device.keySet()).isEqualTo(own.keySet());
        own.forEach((key, value) -> {
            assertThat(value).as("%s: bits", key).isFinite();
            assertThat(device.get(key)).as("%s: bits with the backend's Gram", key)
                    .isCloseTo(value, within(2e-5 * Math.max(1, heldOutCe.get(key))));
        });
        assertThat(rows).filteredOn(x -> x.metric().equals("decoder_converged") && x.probe().equals("device"))
                .allSatisfy(x -> assertThat(x.value()).isEqualTo(1.0));
        String probes = String.valueOf(((Map<?, ?>) Json.readObject(run.resolve("manifest.json")).get("experiment")).get("probes"));
        assertThat(probes).contains("linearAlgebra=backend", "linearAlgebra=java");
    }

    private static Map<String, Double> metric(List<MetricRow> rows, String probe, String metric) {
        return rows.stream().filter(x -> x.probe().equals(probe) && x.metric().equals(metric))
                .collect(Collectors.toMap(x -> x.step() + " " + x.layer() + " " + x.variable(), MetricRow::value));
    }
}
