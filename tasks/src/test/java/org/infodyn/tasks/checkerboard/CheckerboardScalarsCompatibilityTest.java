package org.infodyn.tasks.checkerboard;

import java.util.Map;

import org.infodyn.api.task.Task;
import org.infodyn.testkit.TaskCompatibilityKit;

/** The checkerboard task, scalars encoding, against the Task contract. */
class CheckerboardScalarsCompatibilityTest extends TaskCompatibilityKit {
    @Override
    protected Task task() {
        return new CheckerboardTask();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("samples", 500L, "encoding", "scalars", "noise", 0.05);
    }
}
