package org.infodyn.tasks.checkerboard;

import java.util.Map;

import org.infodyn.api.task.Task;
import org.infodyn.testkit.TaskCompatibilityKit;

/** The checkerboard task, grid encoding, against the Task contract. */
class CheckerboardGridCompatibilityTest extends TaskCompatibilityKit {
    @Override
    protected Task task() {
        return new CheckerboardTask();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("samples", 500L, "encoding", "grid", "noise", 0.05);
    }
}
