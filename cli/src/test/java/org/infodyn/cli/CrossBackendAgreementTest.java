package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.model.Parameters;
import org.infodyn.engine.output.MetricRow;
import org.infodyn.engine.output.MetricsCsv;
import org.infodyn.engine.output.ParametersFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same experiment and seed on two backends: same initial parameters, same batches, so the
 * trained parameters and the measured curves must agree up to float32 reassociation. DJL is the
 * reference side; every other installed backend is compared with it.
 */
class CrossBackendAgreementTest {
    /** Relative tolerance per parameter after 200 steps: max |a−b| / max(|a|, |b|, 1e-2). */
    static final double PARAMETER_TOLERANCE = 1e-4;
    /** The same after 20 steps of a network whose training amplifies rounding differences (see below). */
    static final double CHAOTIC_PARAMETER_TOLERANCE = 1e-3;
    /** Largest allowed difference of any usable-information estimate, bits. */
    static final double BITS_TOLERANCE = 0.02;

    @TempDir
    Path dir;

    private Path run(String experiment, String backend) throws IOException {
        Path exp = Files.writeString(dir.resolve("agree.yaml"), experiment);
        CliHarness.Result r = CliHarness.run("run", exp.toString(), "--backend", backend, "--out", dir.resolve(backend).toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return dir.resolve(backend).resolve("agree-" + backend + "-seed0");
    }

    @ParameterizedTest(name = "{0} vs djl")
    @ValueSource(strings = {"tf", "dl4j"})
    void parametersAgreeAfter200Steps(String backend) throws IOException {
        String exp = """
                name: agree
                task: {id: checkerboard, samples: 10000}
                model: {id: mlp, hidden: [100, 100, 2]}
                train:
                  phases:
                    - {steps: 200, lr: 0.05, batch: 32}
                probes: []
                schedule: {steps: [], every: []}
                """;
        Parameters reference = ParametersFile.read(run(exp, "djl").resolve("checkpoints/final.params"));
        Parameters other = ParametersFile.read(run(exp, backend).resolve("checkpoints/final.params"));
        double worst = other.maxRelativeDifference(reference, 1e-2);
        System.out.printf("%s vs djl after 200 steps: max relative parameter difference %.3g%n", backend, worst);
        assertThat(worst).isLessThan(PARAMETER_TOLERANCE);
    }

    /**
     * Convolutions, batch norm and max-pooling. Training this network on the checkerboard's ±1
     * images is chaotic: in either backend alone, changing one parameter by one ulp changes the
     * parameters by 3e-4 (TF) to 8e-4 (DJL), relative, after 100 steps. So the comparison is made
     * after 20 steps, where float reassociation alone stays near 1e-4; each step agrees with the
     * plain-Java reference to ~1e-6 (BackendCompatibilityKit).
     */
    @ParameterizedTest(name = "{0} vs djl")
    @ValueSource(strings = {"tf", "dl4j"})
    void convolutionalParametersAgreeAfter20Steps(String backend) throws IOException {
        String exp = """
                name: agree
                task: {id: checkerboard, encoding: image, samples: 2000}
                model: {id: cnn-small, channels: [4, 8], dense: 16, batchNorm: true}
                train:
                  phases:
                    - {steps: 20, lr: 0.05, batch: 32, momentum: 0.9}
                probes: []
                schedule: {steps: [], every: []}
                """;
        Parameters reference = ParametersFile.read(run(exp, "djl").resolve("checkpoints/final.params"));
        Parameters other = ParametersFile.read(run(exp, backend).resolve("checkpoints/final.params"));
        double worst = other.maxRelativeDifference(reference, 1e-2);
        System.out.printf("%s vs djl, cnn-small with batch norm, after 20 steps: max relative parameter difference %.3g%n", backend, worst);
        assertThat(worst).isLessThan(CHAOTIC_PARAMETER_TOLERANCE);
    }

    @ParameterizedTest(name = "{0} vs djl")
    @ValueSource(strings = {"tf", "dl4j"})
    void usableInformationCurvesAgree(String backend) throws IOException {
        String exp = """
                name: agree
                task: {id: checkerboard, samples: 4000}
                model: {id: mlp, hidden: [100, 100, 2]}
                train:
                  phases:
                    - {epochs: 3, lr: 0.05, batch: 32}
                probes:
                  - {id: usable-information, layers: [hidden1, hidden2, hidden3], variables: [direction, color, config], fitSamples: 1000}
                schedule: {steps: [0, 10, 30, 100], every: [{epochs: 0.5}]}
                """;
        Map<String, Double> reference = bits(run(exp, "djl"));
        Map<String, Double> other = bits(run(exp, backend));
        assertThat(other.keySet()).isEqualTo(reference.keySet());
        double worst = 0;
        for (Map.Entry<String, Double> e : reference.entrySet()) {
            worst = Math.max(worst, Math.abs(e.getValue() - other.get(e.getKey())));
        }
        System.out.printf("%s vs djl: largest usable-information difference %.3g bits over %d values%n", backend, worst, reference.size());
        assertThat(worst).isLessThan(BITS_TOLERANCE);
    }

    private static Map<String, Double> bits(Path run) throws IOException {
        Map<String, Double> out = new HashMap<>();
        List<MetricRow> rows = MetricsCsv.read(run.resolve("metrics.csv"));
        for (MetricRow r : rows) {
            if (r.metric().equals("bits")) {
                out.put(r.step() + "/" + r.layer() + "/" + r.variable(), r.value());
            }
        }
        return out;
    }
}
