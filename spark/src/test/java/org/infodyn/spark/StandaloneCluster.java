package org.infodyn.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A real Spark standalone cluster on 127.0.0.1: Spark's own master and workers, each a JVM of
 * its own started from the Maven jars (spark/target/dist/lib, laid out as a Spark installation's
 * {@code jars/} folder, which workers build their executors' class path from). Every process it
 * starts, executors included, it stops.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final long START_MILLIS = 90_000;

    private final Path dir;
    private final Path home;
    private final int port;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final List<Path> workDirs = new ArrayList<>();

    private StandaloneCluster(Path dir, Path home, int port, Process master) {
        this.dir = dir;
        this.home = home;
        this.port = port;
        this.master = master;
    }

    /** Starts a master and {@code n} workers of one core each, and waits until every worker has registered. */
    static StandaloneCluster start(Path dir, int n) throws IOException, InterruptedException {
        Path home = sparkHome(dir.resolve("spark-home"));
        int port = freePort();
        Process master = start(home, dir.resolve("master.log"), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        StandaloneCluster c = new StandaloneCluster(dir, home, port, master);
        try {
            c.awaitPort();
            for (int i = 0; i < n; i++) {
                c.addWorker();
            }
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The master's URL. */
    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** The environment a driver of this cluster runs with. */
    static Map<String, String> driverEnvironment() {
        return Map.of("SPARK_LOCAL_IP", "127.0.0.1");
    }

    /** The JVM options Spark needs on Java 17+ (spark-submit's own list). */
    static List<String> jvmOptions() {
        return List.of(JavaModuleOptions.defaultModuleOptionArray());
    }

    private void addWorker() throws IOException, InterruptedException {
        int i = workers.size();
        Path work = Files.createDirectories(dir.resolve("worker" + i));
        Path log = dir.resolve("worker" + i + ".log");
        workDirs.add(work);
        workers.add(start(home, log, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory",
                "3g", "--work-dir", work.toString(), "--webui-port", "0", url()));
        long end = System.currentTimeMillis() + START_MILLIS;
        while (!read(log).contains("Successfully registered with master")) {
            if (System.currentTimeMillis() > end || !workers.get(i).isAlive()) {
                throw new IllegalStateException("worker " + i + " did not register with the master:\n" + read(log));
            }
            Thread.sleep(100);
        }
    }

    /** The executor logs of worker {@code i} so far (one per executor it has launched, for any application). */
    List<Path> executorLogs(int i) throws IOException {
        try (Stream<Path> s = Files.walk(workDirs.get(i))) {
            return s.filter(p -> p.getFileName().toString().equals("stderr")).toList();
        }
    }

    /** Whether an executor of worker {@code i} other than those logging to {@code earlier} has started a task. */
    boolean runningTask(int i, List<Path> earlier) throws IOException {
        return executorLogs(i).stream().filter(p -> !earlier.contains(p)).anyMatch(p -> read(p).contains("Running task"));
    }

    /** Kills worker {@code i} and its executors with SIGKILL, as a machine that dies. */
    void killWorker(int i) throws InterruptedException {
        kill(workers.get(i));
    }

    private static void kill(Process p) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : tree) {
            h.onExit().completeOnTimeout(h, 30, TimeUnit.SECONDS).join();
        }
    }

    /** The logs, for failure messages. */
    String logs() {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> p.toString().endsWith(".log") || p.getFileName().toString().equals("stderr"))
                    .forEach(p -> sb.append("--- ").append(p).append('\n').append(tail(read(p))).append('\n'));
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process w : workers) {
            kill(w);
        }
        kill(master);
    }

    private void awaitPort() throws InterruptedException {
        long end = System.currentTimeMillis() + START_MILLIS;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > end || !master.isAlive()) {
                    throw new IllegalStateException("the Spark master did not start:\n" + read(dir.resolve("master.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    /** A Spark installation as workers expect one: {@code jars/} with Spark's jars (links), and a logger for their logs. */
    private static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("infodyn.spark.dist")))) {
            sources.addAll(s.toList());
        }
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("infodyn.cli.dist")))) {
            s.filter(p -> p.getFileName().toString().startsWith("slf4j-simple-")).forEach(sources::add);
        }
        for (Path p : sources) {
            Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
        }
        return home;
    }

    private static Process start(Path home, Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m"));
        cmd.addAll(jvmOptions());
        cmd.addAll(List.of("-cp", home.resolve("jars") + "/*", mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // read by the workers' command builder
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text) {
        return text.length() > 4000 ? "…" + text.substring(text.length() - 4000) : text;
    }
}
