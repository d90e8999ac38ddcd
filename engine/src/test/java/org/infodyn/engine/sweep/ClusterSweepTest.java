package org.infodyn.engine.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.plugin.Registry;
import org.infodyn.engine.summary.Summaries;
import org.infodyn.testkit.ReferenceBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's side of a sweep on a cluster, with a cluster of threads in this JVM that moves
 * every task and result through Java serialization as a real one does: the sweep folder must be
 * the one a local sweep writes; a worker's setup problem, a task the cluster gives up on and a
 * resume must behave as documented (docs/DESIGN.md §10a).
 */
class ClusterSweepTest {
    @TempDir
    Path dir;

    private static final Registry INSTALLED = Registry.load();
    private final Registry registry = Registry.of(List.of(new ReferenceBackend()), List.of(INSTALLED.task("checkerboard", "task.id")),
            List.of(INSTALLED.probe("usable-information", "probes")), List.of(INSTALLED.model("mlp", "model.id")));
    private final ExecutorService executors = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        executors.shutdownNow();
    }

    private SweepSource source() throws IOException {
        Path file = Files.writeString(dir.resolve("grid.yaml"), """
                name: grid
                task: {id: checkerboard, samples: 800}
                model: {id: mlp, hidden: [8, 2]}
                train: {phases: [{epochs: 1, lr: 0.05, batch: 32}]}
                probes: [{id: usable-information, layers: [hidden1], variables: [direction, color], fitSamples: 300}]
                schedule: {steps: [0, 10], every: []}
                backend: reference
                sweep:
                  train.phases[0].lr: [0.05, 0.01]
                  seeds: 0..1
                """);
        return SweepSource.read(file, List.of());
    }

    /** A cluster of two threads; {@code executorRegistry} is what its executors have installed; {@code refuse} gives up on tasks. */
    private final class ThreadCluster implements SweepCluster.Connection {
        final Registry executorRegistry;
        final int refuse;
        final AtomicInteger submitted = new AtomicInteger();

        ThreadCluster(Registry executorRegistry, int refuse) {
            this.executorRegistry = executorRegistry;
            this.refuse = refuse;
        }

        @Override
        public String describe() {
            return "threads";
        }

        @Override
        public int slots() {
            return 2;
        }

        @Override
        public CompletableFuture<ClusterResult> submit(ClusterTask task, SweepCluster.TaskEvents events) {
            int n = submitted.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                if (n <= refuse) {
                    events.attemptLost("executor lost");
                    throw new IllegalStateException("Job aborted: task failed 4 times");
                }
                events.started();
                ClusterTask remote = roundTrip(task);
                return roundTrip(remote.execute(executorRegistry, dir.resolve("scratch"), "thread " + n));
            }, executors);
        }

        @Override
        public void cancelAll() {
        }

        @Override
        public void close() {
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError("not serializable: " + value.getClass(), e);
        }
    }

    private SweepRunner.Outcome sweep(SweepSource source, Path out, boolean resume, Optional<SweepCluster.Connection> cluster)
            throws Exception {
        SweepPlan plan = SweepPlan.create(source.expand(), registry, Optional.empty(), Optional.empty());
        var options = new SweepRunner.Options(out, 2, resume, Summaries::write, 1,
                cluster.map(c -> new SweepRunner.OnCluster(c, source, 1)));
        return new SweepRunner(registry).run(plan, options, new SweepRunner.Listener() {
        });
    }

    @Test
    void aSweepOnAClusterWritesWhatALocalSweepWrites() throws Exception {
        SweepSource source = source();
        assertThat(sweep(source, dir.resolve("local"), false, Optional.empty()).failed()).isZero();
        ThreadCluster cluster = new ThreadCluster(registry, 0);
        SweepRunner.Outcome outcome = sweep(source, dir.resolve("cluster"), false, Optional.of(cluster));
        assertThat(outcome.results()).hasSize(4).allMatch(r -> r.status().id().equals("completed"));
        assertThat(cluster.submitted.get()).as("one task per run (replica groups of 1)").isEqualTo(4);
        assertSame(dir.resolve("cluster"), dir.resolve("local"));
        assertThat(dir.resolve("cluster").resolve(SweepRunner.INCOMING)).doesNotExist();
    }

    @Test
    void aWorkerThatCannotPlanTheRunsStopsTheSweepWithItsProblemAndWritesNoRun() throws Exception {
        Registry withoutTheTask = Registry.of(List.of(new ReferenceBackend()), List.of(), List.of(INSTALLED.probe("usable-information",
                "probes")), List.of(INSTALLED.model("mlp", "model.id")));
        Path out = dir.resolve("no-task");
        assertThatThrownBy(() -> sweep(source(), out, false, Optional.of(new ThreadCluster(withoutTheTask, 0))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("on worker thread ")
                .hasMessageContaining("checkerboard").hasMessageContaining("continue with --resume");
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            assertThat(s.toList()).isEmpty();
        }
        assertThat(out.resolve(SweepRunner.INCOMING)).doesNotExist();
    }

    @Test
    void tasksTheClusterGivesUpOnLeaveTheSweepIncompleteAndAResumeFinishesIt() throws Exception {
        SweepSource source = source();
        sweep(source, dir.resolve("local"), false, Optional.empty());
        Path out = dir.resolve("partial");
        assertThatThrownBy(() -> sweep(source, out, false, Optional.of(new ThreadCluster(registry, 2))))
                .isInstanceOf(SweepIncompleteException.class).hasMessageContaining("the cluster gave up on 2 runs")
                .hasMessageContaining("Job aborted").hasMessageContaining("the 2 runs received are kept: continue with --resume");
        assertThat(out.resolve("summary.csv")).doesNotExist();
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            assertThat(s.count()).isEqualTo(2);
        }
        SweepRunner.Outcome resumed = sweep(source, out, true, Optional.of(new ThreadCluster(registry, 0)));
        assertThat(resumed.kept()).isEqualTo(2);
        assertSame(out, dir.resolve("local"));
    }

    private static void assertSame(Path actual, Path expected) throws IOException {
        for (String f : List.of("summary.csv", "extremes.csv")) {
            assertThat(Files.readString(actual.resolve(f))).as(f).isEqualTo(Files.readString(expected.resolve(f)));
        }
        try (Stream<Path> s = Files.list(expected.resolve("runs"))) {
            for (Path run : s.toList()) {
                Path mine = actual.resolve("runs").resolve(run.getFileName());
                assertThat(Files.readString(mine.resolve("metrics.csv"))).isEqualTo(Files.readString(run.resolve("metrics.csv")));
                try (Stream<Path> a = Files.walk(mine); Stream<Path> b = Files.walk(run)) {
                    assertThat(a.map(mine::relativize).map(Path::toString).sorted().toList())
                            .isEqualTo(b.map(run::relativize).map(Path::toString).sorted().toList());
                }
            }
        }
    }
}
