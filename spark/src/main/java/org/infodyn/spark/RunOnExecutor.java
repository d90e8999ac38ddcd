package org.infodyn.spark;

import java.nio.file.Path;

import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.Function;
import org.infodyn.engine.sweep.ClusterResult;
import org.infodyn.engine.sweep.ClusterTask;

/**
 * The Spark function of a sweep's task, run on an executor: the engine runs the task in the
 * executor's own scratch space (Spark's per-application folder, removed when the application
 * ends) and the run files travel back as the task's result.
 */
final class RunOnExecutor implements Function<ClusterTask, ClusterResult> {
    private static final long serialVersionUID = 1L;

    @Override
    public ClusterResult call(ClusterTask task) {
        SparkEnv env = SparkEnv.get();
        String worker = ClusterTask.host() + " (executor " + (env == null ? "?" : env.executorId()) + ")";
        return task.execute(Path.of(SparkFiles.getRootDirectory(), "infodyn"), worker);
    }
}
