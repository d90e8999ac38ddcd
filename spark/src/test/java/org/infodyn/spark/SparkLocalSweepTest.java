package org.infodyn.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.infodyn.spark.Sweeps.LOOPBACK;
import static org.infodyn.spark.Sweeps.args;
import static org.infodyn.spark.Sweeps.infodyn;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code infodyn sweep --spark local[N]}: Spark embedded in the command line's JVM, which also
 * proves that every backend runs unchanged in a JVM with Spark's libraries on its class path.
 */
class SparkLocalSweepTest {
    @TempDir
    Path dir;

    @Test
    void aSweepInSparkLocalModeGivesTheSameFilesAsALocalSweep() throws Exception {
        Path exp = Sweeps.grid(dir, 1500, 1);
        Sweeps.Result local = infodyn(args("sweep", exp, "--out", dir.resolve("local"), "-q"));
        assertThat(local.exitCode()).as(local.toString()).isZero();
        Sweeps.Result spark = infodyn(args("sweep", exp, "--out", dir.resolve("spark"), "--spark", "local[2]", LOOPBACK));
        assertThat(spark.exitCode()).as(spark.toString()).isZero();
        assertThat(spark.out()).contains("infodyn: on Spark 4.", "at local[2], 2 tasks at once", "4 to run on 2 workers",
                "wrote " + dir.resolve("spark"));
        assertThat(spark.err()).as("progress as a local sweep shows it").contains("[4/4]").doesNotContain("Exception");
        Sweeps.assertSameResults(dir.resolve("spark"), dir.resolve("local"));
    }

    @Test
    void everyBackendRunsInAJvmWithSparkOnItsClassPathAndGivesTheSameNumbersThroughSpark() throws Exception {
        Path exp = Files.writeString(dir.resolve("backends.yaml"), """
                name: backends
                task: {id: checkerboard, samples: 1200}
                model: {id: mlp, hidden: [16, 2]}
                train: {phases: [{epochs: 1, lr: 0.05, batch: 32}]}
                probes: [{id: usable-information, layers: [hidden1, hidden2], variables: [direction, color], fitSamples: 400}]
                schedule: {steps: [0, 15], every: []}
                sweep:
                  backend: [djl, tf, dl4j]
                  seeds: [0]
                """);
        Sweeps.Result local = infodyn(args("sweep", exp, "--out", dir.resolve("local"), "-q"));
        assertThat(local.exitCode()).as(local.toString()).isZero();
        assertThat(Sweeps.runIds(dir.resolve("local"))).hasSize(3);
        Sweeps.Result spark = infodyn(args("sweep", exp, "--out", dir.resolve("spark"), "--spark", "local[3]", "-q", LOOPBACK));
        assertThat(spark.exitCode()).as(spark.toString()).isZero();
        Sweeps.assertSameResults(dir.resolve("spark"), dir.resolve("local"));
    }

    @Test
    void resumeWorksAcrossLocalAndSparkSweeps() throws Exception {
        Path exp = Sweeps.grid(dir, 1500, 1);
        Sweeps.Result whole = infodyn(args("sweep", exp, "--out", dir.resolve("whole"), "-q"));
        assertThat(whole.exitCode()).as(whole.toString()).isZero();
        // half the sweep locally (seed 0), the rest through Spark with --resume, and the other way round
        Sweeps.Result half = infodyn(args("sweep", exp, "--out", dir.resolve("a"), "--set", "seeds=[0]", "-q"));
        assertThat(half.exitCode()).as(half.toString()).isZero();
        Sweeps.Result rest = infodyn(args("sweep", exp, "--out", dir.resolve("a"), "--resume", "--spark", "local[2]", "-q", LOOPBACK));
        assertThat(rest.exitCode()).as(rest.toString()).isZero();
        assertThat(rest.out()).contains("(2 already finished); 2 to run");
        Sweeps.assertSameResults(dir.resolve("a"), dir.resolve("whole"));

        Sweeps.Result first = infodyn(args("sweep", exp, "--out", dir.resolve("b"), "--set", "seeds=[0]", "--spark", "local[1]", "-q",
                LOOPBACK));
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Sweeps.Result second = infodyn(args("sweep", exp, "--out", dir.resolve("b"), "--resume", "-q"));
        assertThat(second.exitCode()).as(second.toString()).isZero();
        Sweeps.assertSameResults(dir.resolve("b"), dir.resolve("whole"));
    }

    @Test
    void badSparkSettingsAreOneLineErrorsWithExitCode2AndWriteNothing() throws Exception {
        Path exp = Sweeps.grid(dir, 1000, 1);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // free once closed: nothing listens there
        }
        assertRefused(exp, "no Spark master answers (127.0.0.1:" + closed + ": connection refused)",
                "--spark", "spark://127.0.0.1:" + closed);
        assertRefused(exp, "--spark yarnn: not a Spark master URL; expected local, local[N]", "--spark", "yarnn");
        assertRefused(exp, "--spark-conf spark.executor.memry=2g: Spark has no option spark.executor.memry; did you mean"
                + " spark.executor.memory?", "--spark", "local[1]", "--spark-conf", "spark.executor.memry=2g");
        assertRefused(exp, "--spark-conf spark.executor.memory=lots: not a value Spark accepts for spark.executor.memory",
                "--spark", "local[1]", "--spark-conf", "spark.executor.memory=lots");
        assertRefused(exp, "Spark options start with 'spark.'", "--spark", "local[1]", "--spark-conf", "executor.memory=2g");
        assertRefused(exp, "--spark-conf spark.task.cpus=2 without --spark", "--spark-conf", "spark.task.cpus=2");
        assertRefused(exp, "--parallel 2 with --spark", "--spark", "local[2]", "--parallel", "2");
        assertRefused(exp, "--spark and --only-index", "--spark", "local[2]", "--only-index", "0");
    }

    @Test
    void aDryRunChecksTheMasterAndTheOptionsWithoutStartingSpark() throws Exception {
        Path exp = Sweeps.grid(dir, 1000, 1);
        Sweeps.Result ok = infodyn(args("sweep", exp, "--dry-run", "--spark", "local[2]", "--spark-conf", "spark.task.maxFailures=8"));
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("Spark: local mode, 2 tasks at once; 1 option checked", "  3 grid_");
        assertRefused(exp, "did you mean spark.task.maxFailures?", "--dry-run", "--spark", "local[2]", "--spark-conf",
                "spark.task.maxFailure=8");
    }

    private void assertRefused(Path exp, String message, String... flags) throws IOException {
        Path out = dir.resolve("refused");
        Sweeps.Result r = infodyn(args("sweep", exp, "--out", out, java.util.List.of(flags), LOOPBACK));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).contains(message).doesNotContain("\tat ").hasLineCount(1);
        assertThat(out).as("nothing written").doesNotExist();
    }
}
