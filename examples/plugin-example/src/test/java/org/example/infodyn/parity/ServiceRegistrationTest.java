package org.example.infodyn.parity;

import static org.assertj.core.api.Assertions.assertThat;

import org.infodyn.api.plugin.Registry;
import org.junit.jupiter.api.Test;

/** infodyn's registry finds the task through the plugin's registration. */
class ServiceRegistrationTest {
    @Test
    void theRegistryFindsTheTask() {
        assertThat(Registry.load().tasks()).containsKey("parity");
    }
}
