package org.infodyn.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.infodyn.spark.Sweeps.LOOPBACK;
import static org.infodyn.spark.Sweeps.args;
import static org.infodyn.spark.Sweeps.infodyn;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps on a real Spark standalone cluster on 127.0.0.1 (a master and two workers, each its own
 * JVM), driven by the command line as a user starts it: the distribution's jars, a process of its
 * own. The results must be those of a local sweep, byte for byte, through a killed worker and a
 * killed driver; a worker that cannot read the data is a one-line error.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterTest {
    private static final long RUN_SECONDS = 300;

    @TempDir
    static Path dir;
    private static StandaloneCluster cluster;
    private static Path experiment;
    private static Path local;
    private static final List<Process> drivers = new ArrayList<>();

    @BeforeAll
    static void startClusterAndRunTheSweepLocally() throws Exception {
        // runs of a few seconds each, so that a kill lands while a task runs
        experiment = Sweeps.grid(Files.createDirectories(dir.resolve("exp")), 3000, 30);
        local = dir.resolve("local");
        Sweeps.Result r = infodyn(args("sweep", experiment, "--out", local, "--replicas", "1", "-q"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        cluster = StandaloneCluster.start(Files.createDirectories(dir.resolve("cluster")), 2);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (Process p : drivers) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The command line as a user runs it with --spark: cli's and spark's distributions, in a JVM of its own. */
    private static Process driver(Path workingDir, Path log, List<String> infodynArgs) throws IOException {
        String cp = String.join(java.io.File.pathSeparator, System.getProperty("infodyn.cli.dist") + "/*",
                System.getProperty("infodyn.spark.dist") + "/*", sparkClasses().toString());
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Dinfodyn.cache.dir=" + cache()));
        cmd.addAll(StandaloneCluster.jvmOptions());
        cmd.addAll(List.of("-cp", cp, "org.infodyn.cli.Main"));
        cmd.addAll(infodynArgs);
        return started(cmd, workingDir, log);
    }

    private static Process started(List<String> cmd, Path workingDir, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workingDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(StandaloneCluster.driverEnvironment());
        Process p = pb.start();
        drivers.add(p);
        return p;
    }

    private static List<String> sparkArgs(Path out, Object... more) {
        return args("sweep", experiment, "--out", out, "--replicas", "1", "--spark", cluster.url(), "--spark-conf",
                "spark.executorEnv.INFODYN_CACHE_DIR=" + cache(), LOOPBACK, List.of(more));
    }

    private static String finish(Process p, Path log) throws Exception {
        assertThat(p.waitFor(RUN_SECONDS, TimeUnit.SECONDS)).as("the sweep ends\n" + cluster.logs()).isTrue();
        return Files.readString(log);
    }

    @Test
    @Order(1)
    void aSweepOnTheClusterGivesTheSameFilesAsALocalSweep() throws Exception {
        Path out = dir.resolve("cluster-sweep");
        Path log = dir.resolve("cluster-sweep.log");
        Process p = driver(dir, log, sparkArgs(out));
        String text = finish(p, log);
        assertThat(p.exitValue()).as(text + cluster.logs()).isZero();
        // How many executors the header counts depends on when their JVMs register (seconds apart on a
        // loaded machine); what must hold is that the master granted one on each worker to this sweep.
        assertThat(text).contains("infodyn: on Spark 4.", cluster.url(), "[4/4]").containsPattern("[12] executors?, ");
        assertThat(cluster.executorLogs(0)).as("worker 0 launched an executor\n" + cluster.logs()).isNotEmpty();
        assertThat(cluster.executorLogs(1)).as("worker 1 launched an executor\n" + cluster.logs()).isNotEmpty();
        Sweeps.assertSameResults(out, local);
    }

    @Test
    @Order(2)
    void aDriverKilledPartWayIsResumedToTheSameResults() throws Exception {
        Path out = dir.resolve("killed-driver");
        Path log = dir.resolve("killed-driver.log");
        Process p = driver(dir, log, sparkArgs(out));
        long end = System.currentTimeMillis() + RUN_SECONDS * 1000;
        while (finishedRuns(out) == 0 && p.isAlive() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("still running when the first run is in\n" + Files.readString(log)).isTrue();
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9: no clean-up of its own
        long kept = finishedRuns(out);
        assertThat(kept).isBetween(1L, 3L);
        assertThat(out.resolve("summary.csv")).doesNotExist();

        Path log2 = dir.resolve("resumed.log");
        Process resumed = driver(dir, log2, sparkArgs(out, "--resume"));
        String text = finish(resumed, log2);
        assertThat(resumed.exitValue()).as(text + cluster.logs()).isZero();
        assertThat(text).contains("(" + kept + " already finished)");
        Sweeps.assertSameResults(out, local);
    }

    @Test
    @Order(5) // last: the cluster has one worker after it
    void aWorkerKilledWhileItRunsATaskCostsNothingButTime() throws Exception {
        Path out = dir.resolve("killed-worker");
        Path log = dir.resolve("killed-worker.log");
        List<Path> earlier = cluster.executorLogs(0); // executors of the earlier tests' applications
        Process p = driver(dir, log, sparkArgs(out));
        long end = System.currentTimeMillis() + RUN_SECONDS * 1000;
        while (!cluster.runningTask(0, earlier) && p.isAlive() && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertThat(cluster.runningTask(0, earlier)).as("worker 0 runs a task\n" + Files.readString(log) + cluster.logs()).isTrue();
        cluster.killWorker(0);
        String text = finish(p, log);
        assertThat(p.exitValue()).as(text + cluster.logs()).isZero();
        assertThat(text).as("the lost attempt is shown").contains("attempt lost (", "; Spark reruns it");
        Sweeps.assertSameResults(out, local);
    }

    @Test
    @Order(3)
    void aWorkerThatCannotReadTheDataIsAOneLineErrorNamingTheWorkerAndPath() throws Exception {
        // the driver reads data/sensors.csv from its own folder; the executors' folder has no data/
        Path work = Files.createDirectories(dir.resolve("driver-folder"));
        Files.createDirectories(work.resolve("data"));
        Files.copy(Path.of(System.getProperty("infodyn.examples"), "data", "sensors.csv"), work.resolve("data/sensors.csv"));
        Path exp = Files.writeString(work.resolve("tab.yaml"), """
                name: tab
                task: {id: tabular, data: data/sensors.csv, target: fault, variables: [load], features: [temp, vibration]}
                model: {id: mlp, hidden: [8, 2]}
                train: {phases: [{epochs: 1, lr: 0.05, batch: 32}]}
                probes: [{id: usable-information, layers: [hidden1], variables: [load], fitSamples: 300}]
                schedule: {steps: [0], every: []}
                backend: djl
                sweep:
                  train.phases[0].lr: [0.05, 0.01]
                  seeds: [0]
                """);
        Path out = work.resolve("out");
        Path log = dir.resolve("no-data.log");
        Process p = driver(work, log, args("sweep", exp, "--out", out, "--spark", cluster.url(), LOOPBACK, "-q"));
        String text = finish(p, log);
        assertThat(p.exitValue()).as(text).isEqualTo(2);
        List<String> errors = text.lines().filter(l -> l.startsWith("infodyn: error:")).toList();
        assertThat(errors).as(text).hasSize(1);
        assertThat(errors.get(0)).contains("on worker ", "(executor ", "task.data: no such file or folder: data/sensors.csv",
                "every worker must read the task's data at the same path", "continue with --resume");
        assertThat(text).doesNotContain("\tat ");
        assertThat(Sweeps.files(out)).as("nothing half-written").containsOnly("", "runs", "sweep.json", "sweep.lock");
    }

    @Test
    @Order(4)
    void sparkSubmitRunsTheSameSweepWithInfodynsApplicationJar() throws Exception {
        Path app = applicationJar(dir.resolve("app/infodyn-spark.jar"));
        Path out = dir.resolve("submitted");
        Path log = dir.resolve("submitted.log");
        String cp = System.getProperty("infodyn.spark.dist") + "/*" + java.io.File.pathSeparator + System.getProperty("infodyn.cli.dist")
                + "/*";
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Dinfodyn.cache.dir=" + cache()));
        cmd.addAll(StandaloneCluster.jvmOptions());
        cmd.addAll(List.of("-cp", cp, "org.apache.spark.deploy.SparkSubmit", "--master", cluster.url(), "--class",
                "org.infodyn.cli.Main", "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.extraClassPath=" + System.getProperty("infodyn.cli.dist")
                        + "/*:" + app, "--conf", "spark.executorEnv.INFODYN_CACHE_DIR=" + cache(), app.toString(),
                "sweep", experiment.toString(), "--out", out.toString(), "--replicas", "1", "--spark"));
        Process p = started(cmd, dir, log);
        String text = finish(p, log);
        assertThat(p.exitValue()).as(text + cluster.logs()).isZero();
        assertThat(text).contains("infodyn: on Spark 4.", cluster.url());
        Sweeps.assertSameResults(out, local);
    }

    private static long finishedRuns(Path sweep) throws IOException {
        Path runs = sweep.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.count();
        }
    }

    /** What a build puts in spark/target/dist/app: this module's classes, with the command line's main class. */
    private static Path applicationJar(Path jar) throws Exception {
        Files.createDirectories(jar.getParent());
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.infodyn.cli.Main");
        Path classes = sparkClasses();
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, m);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Path sparkClasses() {
        try {
            return Path.of(SparkSweeps.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cache() {
        return System.getProperty("infodyn.cache.dir", System.getProperty("java.io.tmpdir"));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
