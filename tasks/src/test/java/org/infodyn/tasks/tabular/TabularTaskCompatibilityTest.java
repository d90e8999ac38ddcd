package org.infodyn.tasks.tabular;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.infodyn.api.task.Task;
import org.infodyn.testkit.TaskCompatibilityKit;

/** The Task contract on a CSV of 300 rows with a text variable. */
class TabularTaskCompatibilityTest extends TaskCompatibilityKit {
    private static final Path CSV = csv();

    private static Path csv() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "tabular-kit"));
            StringBuilder sb = new StringBuilder("f1,f2,f3,y,group\n");
            for (int i = 0; i < 300; i++) {
                sb.append(Math.sin(i)).append(',').append(Math.cos(i * 0.3)).append(',').append(i % 7).append(',')
                        .append(Math.sin(i) > 0 ? 1 : 0).append(',').append(List.of("a", "b", "c").get(i % 3)).append('\n');
            }
            return Files.writeString(dir.resolve("kit.csv"), sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Task task() {
        return new TabularTask();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("data", CSV.toString(), "target", "y", "variables", List.of("group"));
    }
}
