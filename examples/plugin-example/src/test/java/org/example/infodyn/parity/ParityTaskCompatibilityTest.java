package org.example.infodyn.parity;

import java.util.Map;

import org.infodyn.api.task.Task;
import org.infodyn.testkit.TaskCompatibilityKit;

/** The plugin proves it meets infodyn's Task contract by running the kit. */
class ParityTaskCompatibilityTest extends TaskCompatibilityKit {
    @Override
    protected Task task() {
        return new ParityTask();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("samples", 500L);
    }
}
