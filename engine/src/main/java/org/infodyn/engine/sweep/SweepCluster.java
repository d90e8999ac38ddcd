package org.infodyn.engine.sweep;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A distributed engine that runs a sweep's runs on other machines (Apache Spark is the one
 * infodyn ships, in its {@code spark} module). Found with {@link java.util.ServiceLoader}, so the
 * engine and the command line never load one unless a sweep asks for it.
 *
 * <p>The engine keeps everything that makes a sweep a sweep: the plan, the directory, its lock,
 * resume, the atomic writes and the aggregates. A cluster only carries {@link ClusterTask}s to
 * executors, where {@link ClusterTask#execute} runs them, and carries their {@link ClusterResult}s
 * back. No shared filesystem is needed.
 *
 * <p>Implementations must make {@link Connection#submit} safe to call from several threads, and
 * rerun a task whose executor was lost (the result is the same: runs are deterministic).
 */
public interface SweepCluster {
    /** Short name, as the command line knows it: {@code spark}. */
    String id();

    /**
     * Connects to a cluster (or starts an embedded one): everything that can be checked before
     * runs are handed out is checked here.
     *
     * @param master where, in the engine's own notation (Spark: {@code local[N]},
     *     {@code spark://host:port}); empty to take it from the environment the program was
     *     started in (Spark: {@code spark-submit --master})
     * @param settings the engine's own options ({@code --spark-conf key=value}), checked by name and value
     * @param appName a name for the cluster's user interface and logs
     * @throws org.infodyn.api.config.ConfigException for a malformed or unreachable master, an
     *     unknown option or a bad value: one line naming it (exit code 2)
     */
    Connection connect(String master, Map<String, String> settings, String appName);

    /**
     * Checks what {@link #connect} checks before it starts anything (the master's form and
     * reachability, every option), for a dry run.
     *
     * @return one line saying what was checked
     * @throws org.infodyn.api.config.ConfigException as {@link #connect} does
     */
    String check(String master, Map<String, String> settings);

    /** What happens to a task on the cluster, for progress display. */
    interface TaskEvents {
        /** An executor started it (again, after a lost attempt). */
        void started();

        /**
         * An attempt ended without a result (its executor was lost, say); the cluster may retry it.
         *
         * @param why the cluster's reason, one line
         */
        void attemptLost(String why);
    }

    /** A live connection: one per sweep. */
    interface Connection extends AutoCloseable {
        /** One line for the sweep's header, e.g. {@code Spark 4.2.0, spark://127.0.0.1:7077, 2 executors × 1 core}. */
        String describe();

        /** How many tasks run at once right now (for progress and ETA; at least 1). */
        int slots();

        /**
         * Hands a task to the cluster.
         *
         * @param events told (from any thread) when an executor starts the task, and when an attempt is lost
         * @return completes with the task's result, or exceptionally when the cluster gave up on it
         *     (e.g. its executors kept dying) or it was cancelled
         */
        CompletableFuture<ClusterResult> submit(ClusterTask task, TaskEvents events);

        /** Cancels every task not finished (a stop, or a configuration problem on a worker). */
        void cancelAll();

        /** Disconnects, stopping what this connection started; never throws. */
        @Override
        void close();
    }
}
