package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report opens in a real browser: headless Chromium (Debian's {@code chromium}, installed by
 * {@code .ci/run}) renders report.html from the file system, offline, to a PNG screenshot that is
 * kept in target/ for a person to look at.
 */
class ReportInBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void chromiumRendersTheReportOffline() throws IOException, InterruptedException {
        assumeThat(Files.isExecutable(CHROMIUM)).as("Debian's chromium is installed (.ci/run installs it)").isTrue();
        Path exp = Files.writeString(dir.resolve("shot.yaml"), SweepCommandTest.SWEEP);
        CliHarness.Result r = CliHarness.run("sweep", exp.toString(), "--out", dir.resolve("out").toString(), "-q");
        // two of the runs diverge on purpose (the report shows them); the sweep then exits 1
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(dir.resolve("out/report.html")).exists();

        Path png = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(png);
        Process p = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"), "--hide-scrollbars", "--window-size=1280,1600",
                "--screenshot=" + png, dir.resolve("out/report.html").toUri().toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(png).as(Files.readString(dir.resolve("chromium.log"))).exists();
        byte[] bytes = Files.readAllBytes(png);
        // a PNG of the requested size, and far from blank (a white page compresses to a few KiB)
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        assertThat(ByteBuffer.wrap(bytes, 16, 8).getInt()).isEqualTo(1280);
        assertThat(bytes.length).isGreaterThan(60_000);
    }
}
