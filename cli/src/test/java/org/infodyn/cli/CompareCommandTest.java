package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.SgdSettings;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.engine.compare.Comparison;
import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.experiment.ExperimentBinder;
import org.infodyn.engine.experiment.ExperimentParser;
import org.infodyn.engine.experiment.Overrides;
import org.infodyn.engine.output.Json;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.run.RunListener;
import org.infodyn.engine.run.RunPlanner;
import org.infodyn.engine.run.Runner;
import org.infodyn.testkit.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infodyn compare}: agreeing backends pass; a backend made to disagree fails loudly. */
class CompareCommandTest {
    @TempDir
    Path dir;

    static final String EXPERIMENT = """
            name: cmp
            seeds: [0, 1]
            task: {id: checkerboard, samples: 600}
            model: {id: mlp, hidden: [16, 2]}
            train:
              phases:
                - {epochs: 2, lr: 0.05, batch: 16, momentum: 0.9, weightDecay: 0.001}
            probes:
              - {id: usable-information, layers: [hidden1, hidden2], variables: [color, direction], fitSamples: 300}
            schedule: {steps: [0, 10], every: [{epochs: 1}]}
            """;

    /** All three frameworks, one after another, in this one JVM (their natives coexist: javacpp is pinned). */
    @Test
    void djlTensorflowAndDl4jAgreeInOneJvm() throws IOException {
        Path exp = Files.writeString(dir.resolve("cmp.yaml"), EXPERIMENT);
        CliHarness.Result r = CliHarness.run("compare", exp.toString(), "--backends", "djl,tf,dl4j", "--out", dir.resolve("out").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("reference: djl; compared: tf, dl4j", "usable-information hidden2 color bits",
                "final parameters, tf seed 1", "final parameters, dl4j seed 1", "verdict: AGREE");
        assertThat(dir.resolve("out/comparison.csv")).exists();
        assertThat(Files.readAllLines(dir.resolve("out/comparison.csv")).get(0))
                .isEqualTo("seed,probe,layer,variable,metric,step,djl,tf,dl4j,max_abs_diff");
        assertThat(Json.readObject(dir.resolve("out/comparison.json"))).containsEntry("agree", true);
    }

    @Test
    void badBackendListsAreUsageErrors() throws IOException {
        Path exp = Files.writeString(dir.resolve("cmp.yaml"), EXPERIMENT);
        CliHarness.Result one = CliHarness.run("compare", exp.toString(), "--backends", "djl");
        assertThat(one.exitCode()).isEqualTo(2);
        assertThat(one.err()).contains("at least two");
        CliHarness.Result unknown = CliHarness.run("compare", exp.toString(), "--backends", "djl,mxnet");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown backend 'mxnet'", "installed:", "djl", "tf");
    }

    @Test
    void oneBackendOnTwoDevicesIsCompared() throws IOException {
        Path exp = Files.writeString(dir.resolve("cmp.yaml"), EXPERIMENT);
        // on a machine without a GPU, auto is the CPU: the two runs must agree to the bit
        CliHarness.Result r = CliHarness.run("compare", exp.toString(), "--backends", "djl@cpu,djl@AUTO", "--out",
                dir.resolve("dev").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("reference: djl@cpu; compared: djl@auto", "verdict: AGREE");
        assertThat(dir.resolve("dev/djl@cpu")).isDirectory();
        assertThat(dir.resolve("dev/djl@auto")).isDirectory();
        assertThat(Files.readAllLines(dir.resolve("dev/comparison.csv")).get(0)).endsWith(",djl@cpu,djl@auto,max_abs_diff");
        assertThat(Files.readAllLines(dir.resolve("dev/comparison.csv")).stream().skip(1).map(l -> l.substring(l.lastIndexOf(',') + 1))
                .mapToDouble(Double::parseDouble).max().orElseThrow()).as("same device, same numbers").isZero();
    }

    @Test
    void aDeviceNotAtHandIsRefusedBeforeAnythingRuns() throws IOException {
        Path exp = Files.writeString(dir.resolve("cmp.yaml"), EXPERIMENT);
        CliHarness.Result gpu = CliHarness.run("compare", exp.toString(), "--backends", "djl@cpu,djl@gpu", "--out",
                dir.resolve("gpu").toString());
        assertThat(gpu.exitCode()).as(gpu.toString()).isEqualTo(2);
        assertThat(gpu.err()).contains("device gpu was requested", "backend djl cannot run on a GPU here").doesNotContain("\tat ");
        assertThat(dir.resolve("gpu")).as("nothing ran, nothing was written").doesNotExist();
        CliHarness.Result typo = CliHarness.run("compare", exp.toString(), "--backends", "djl@cpu,tf@tpu");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown device 'tpu' in 'tf@tpu'", "auto, cpu, gpu, gpu:N");
    }

    /** The reference network with a learning rate 2 % too high: plausible numbers, wrong semantics. */
    static final class SkewedBackend implements Backend {
        private final ReferenceBackend inner = new ReferenceBackend();

        @Override
        public String id() {
            return "skewed";
        }

        @Override
        public String displayName() {
            return "reference with a 2% learning-rate error";
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Set<String> supportedLayerKinds() {
            return inner.supportedLayerKinds();
        }

        @Override
        public Availability availability() {
            return Availability.yes();
        }

        @Override
        public BackendInfo describe() {
            return inner.describe();
        }

        @Override
        public Model build(ModelSpec spec, Parameters initial, BuildOptions options) {
            Model m = inner.build(spec, initial, options);
            return (Model) Proxy.newProxyInstance(Model.class.getClassLoader(), new Class<?>[] {Model.class}, (p, method, args) -> {
                if (method.getName().equals("step")) {
                    var sgd = (SgdSettings) args[2];
                    args[2] = new SgdSettings(sgd.learningRate() * 1.02, sgd.momentum(), sgd.weightDecay());
                }
                try {
                    return method.invoke(m, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }
    }

    @Test
    void aBackendMadeToDisagreeFailsTheVerdict() throws IOException {
        Registry installed = Registry.load();
        Registry registry = Registry.of(List.of(new ReferenceBackend(), new SkewedBackend()), List.copyOf(installed.tasks().values()),
                List.copyOf(installed.probes().values()), List.copyOf(installed.models().values()));
        Experiment exp = ExperimentBinder.bind(ExperimentParser.parse(EXPERIMENT, "cmp.yaml", false),
                Overrides.none(), "cmp");
        Map<String, Map<Long, Path>> runs = new LinkedHashMap<>();
        for (String id : List.of("reference", "skewed")) {
            Map<Long, Path> bySeed = new LinkedHashMap<>();
            for (long seed : exp.seeds()) {
                var plan = new RunPlanner(registry).plan(exp, seed, registry.chooseBackend(Optional.of(id), Optional.empty(), Optional.empty()));
                bySeed.put(seed, new Runner(1).run(plan, dir.resolve(id), RunListener.NONE).directory());
            }
            runs.put(id, bySeed);
        }
        Comparison c = Comparison.of(runs, new Comparison.Tolerances(0.02, 1e-3));
        assertThat(c.disagreements()).isNotEmpty().anyMatch(d -> d.contains("skewed seed 0: final parameters differ"));
        assertThat(c.summary()).contains("verdict: DISAGREE");
    }
}
