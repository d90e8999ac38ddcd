package org.infodyn.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    @TempDir
    Path dir;

    @Test
    void decimalsArePlainAndRoundTrip() {
        assertThat(MetricsCsv.decimal(0.05)).isEqualTo("0.05");
        assertThat(MetricsCsv.decimal(1e-7)).isEqualTo("0.0000001");
        assertThat(MetricsCsv.decimal(3.0)).isEqualTo("3");
        assertThat(MetricsCsv.decimal(-0.0)).isEqualTo("0");
        assertThat(MetricsCsv.decimal(1.2345678901234567e20)).doesNotContain("E");
        assertThat(MetricsCsv.decimal(Double.NaN)).isEmpty();
        assertThat(MetricsCsv.decimal(Double.POSITIVE_INFINITY)).isEmpty();
        double v = 0.1 + 0.2;
        assertThat(Double.parseDouble(MetricsCsv.decimal(v))).isEqualTo(v);
    }

    @Test
    void metricsAppearUnderTheFinalNameOnlyWhenFinished() throws IOException {
        MetricsCsv csv = new MetricsCsv(dir);
        csv.append(List.of(new MetricRow("r", "djl", 0, 0, 0.25, 71, "hidden1", "color", "ui,x", "bits", 0.5),
                new MetricRow("r", "djl", 0, 0, 0.25, 71, "hidden1", "color", "ui,x", "decoder_accuracy", Double.NaN)));
        assertThat(dir.resolve(MetricsCsv.FILE)).doesNotExist();
        assertThat(dir.resolve(MetricsCsv.PARTIAL)).exists();
        csv.finish();
        assertThat(dir.resolve(MetricsCsv.PARTIAL)).doesNotExist();
        List<String> lines = Files.readAllLines(dir.resolve(MetricsCsv.FILE));
        assertThat(lines.get(0)).isEqualTo("run_id,backend,seed,phase,epoch,step,layer,variable,probe,metric,value");
        assertThat(lines.get(1)).isEqualTo("r,djl,0,0,0.25,71,hidden1,color,\"ui,x\",bits,0.5");
        assertThat(lines.get(2)).endsWith(",decoder_accuracy,");
        List<MetricRow> back = MetricsCsv.read(dir.resolve(MetricsCsv.FILE));
        assertThat(back.get(0).probe()).isEqualTo("ui,x");
        assertThat(back.get(1).value()).isNaN();
    }

    @Test
    void atomicWritesReplaceWholeFilesAndLeaveNoTemporaries() throws IOException {
        Path f = dir.resolve("manifest.json");
        Json.write(f, Map.of("status", "running"));
        Json.write(f, Map.of("status", "completed"));
        assertThat(Json.readObject(f)).containsEntry("status", "completed");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("manifest.json");
        }
        // readable by others like any file the user writes (not the 0600 of a temp file)
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).startsWith("rw-r");
    }

    @Test
    void parametersRoundTrip() throws IOException {
        Parameters p = new Parameters(Map.of("a.weight", new FloatTensor(new int[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-8f, Float.MAX_VALUE})));
        Path f = dir.resolve("final.params");
        ParametersFile.write(f, p);
        assertThat(ParametersFile.read(f)).isEqualTo(p);
        Files.write(f, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> ParametersFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining("not an infodyn");
    }

    @Test
    void outputDirectoryProblemsAreConfigErrors() throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertThatThrownBy(() -> RunDirectory.checkWritable(file, List.of("r"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is a file");
        assertThatThrownBy(() -> RunDirectory.checkWritable(file.resolve("sub"), List.of("r"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot be written");
        Files.createDirectories(dir.resolve("out/r1"));
        Files.writeString(dir.resolve("out/r1/metrics.csv"), "x");
        assertThatThrownBy(() -> RunDirectory.checkWritable(dir.resolve("out"), List.of("r0", "r1")))
                .hasMessageContaining("already exists").hasMessageContaining("r1");
        RunDirectory.checkWritable(dir.resolve("new/deeper"), List.of("r"));
        assertThat(dir.resolve("new")).doesNotExist();
        // a folder that cannot be created (here: under /proc, whatever the user's rights) is named with the reason
        assertThatThrownBy(() -> RunDirectory.checkWritable(Path.of("/proc/infodyn-out"), List.of("r")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("output directory /proc/infodyn-out cannot be written: ");
    }
}
