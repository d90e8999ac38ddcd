package org.example.infodyn.parity;

import org.infodyn.api.task.Task;
import org.infodyn.testkit.Registration;
import org.junit.jupiter.api.Test;

/** The task is registered both ways: META-INF/services (class path) and module-info (module path). */
class ServiceRegistrationTest {
    @Test
    void isRegisteredBothWays() {
        Registration.assertRegistered(Task.class, ParityTask.class);
    }
}
