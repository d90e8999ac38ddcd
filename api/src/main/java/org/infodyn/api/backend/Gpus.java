package org.infodyn.api.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The NVIDIA GPUs of this machine as {@code nvidia-smi} (installed with the driver) describes
 * them, in the order CUDA numbers them for this process: backends use it to describe the GPUs
 * they see (a backend's own API rarely says a GPU's name or the driver's version) and to say why
 * they see none. Read once per JVM; without a driver the list is empty.
 */
public final class Gpus {
    /** The query; {@code compute_cap} needs driver 510+, so it is asked for separately. */
    private static final String FIELDS = "index,name,memory.total,driver_version";
    private static final long TIMEOUT_SECONDS = 15;

    private static volatile List<DeviceInfo> visible;

    private Gpus() {
    }

    /**
     * The GPUs CUDA would show this process: every GPU {@code nvidia-smi} lists, narrowed and
     * renumbered by {@code CUDA_VISIBLE_DEVICES} as CUDA does (numeric lists only; with GPU
     * UUIDs in it, the first k listed GPUs are assumed). Empty without an NVIDIA driver.
     */
    public static List<DeviceInfo> visible() {
        List<DeviceInfo> v = visible;
        if (v == null) {
            synchronized (Gpus.class) {
                if (visible == null) {
                    visible = query();
                }
                v = visible;
            }
        }
        return v;
    }

    /**
     * Why no GPU can be used on this machine whatever the backend, or empty when the NVIDIA
     * driver is present and lists at least one visible GPU.
     */
    public static Optional<String> unavailableReason() {
        if (!visible().isEmpty()) {
            return Optional.empty();
        }
        if (!Files.exists(Path.of("/dev/nvidiactl")) && findNvidiaSmi().isEmpty()) {
            return Optional.of("this machine has no NVIDIA driver (no /dev/nvidiactl, no nvidia-smi on the PATH)");
        }
        String cvd = System.getenv("CUDA_VISIBLE_DEVICES");
        if (cvd != null) {
            return Optional.of("the NVIDIA driver lists no GPU visible to this process (CUDA_VISIBLE_DEVICES=" + cvd + ")");
        }
        return Optional.of("the NVIDIA driver lists no GPU (nvidia-smi -L)");
    }

    /**
     * Why the driver cannot run code built for {@code cuda}, or empty when it can (or when there
     * is no driver at all: {@link #unavailableReason()} says that).
     *
     * @param cuda the CUDA version a backend's library was built for, e.g. {@code 12.4}
     * @param minimumDriver the oldest Linux driver that runs it, e.g. {@code 525.60.13} for any CUDA
     *     12 (NVIDIA's minor-version compatibility)
     */
    public static Optional<String> driverTooOld(String cuda, String minimumDriver) {
        return visible().stream().map(DeviceInfo::driverVersion).filter(v -> !v.isEmpty()).findFirst()
                .filter(v -> compareVersions(v, minimumDriver) < 0)
                .map(v -> "the NVIDIA driver " + v + " is too old for CUDA " + cuda + " (it needs " + minimumDriver + " or newer)");
    }

    /** Compares dotted version numbers numerically ({@code 535.104.05} > {@code 525.60.13}). */
    static int compareVersions(String a, String b) {
        String[] x = a.strip().split("\\.");
        String[] y = b.strip().split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? number(x[i]) : 0;
            long q = i < y.length ? number(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static long number(String part) {
        String digits = part.replaceAll("\\D.*", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }

    private static List<DeviceInfo> query() {
        Optional<Path> smi = findNvidiaSmi();
        if (smi.isEmpty()) {
            return List.of();
        }
        Optional<String> rows = run(smi.get(), FIELDS);
        if (rows.isEmpty()) {
            return List.of();
        }
        String caps = run(smi.get(), "index,compute_cap").orElse("");
        return parse(rows.get(), caps, System.getenv("CUDA_VISIBLE_DEVICES"));
    }

    /**
     * Parses {@code nvidia-smi --format=csv,noheader,nounits} output.
     *
     * @param rows lines of {@code index, name, memory.total (MiB), driver_version}
     * @param caps lines of {@code index, compute_cap}; may be empty
     * @param cudaVisibleDevices the environment variable, or null
     */
    static List<DeviceInfo> parse(String rows, String caps, String cudaVisibleDevices) {
        List<String[]> all = new ArrayList<>();
        for (String line : rows.split("\\R")) {
            String[] f = line.split(",\\s*");
            if (f.length >= 4 && f[0].strip().matches("\\d+")) {
                all.add(f);
            }
        }
        List<Integer> order = new ArrayList<>();
        if (cudaVisibleDevices == null) {
            all.forEach(f -> order.add(Integer.parseInt(f[0].strip())));
        } else {
            for (String t : cudaVisibleDevices.split(",")) {
                t = t.strip();
                if (t.isEmpty()) {
                    continue;
                }
                if (!t.matches("\\d+")) { // a UUID or MIG name: CUDA's order cannot be told from the index
                    order.add(order.size());
                    continue;
                }
                int idx = Integer.parseInt(t);
                if (all.stream().noneMatch(f -> Integer.parseInt(f[0].strip()) == idx)) {
                    break; // CUDA stops at the first invalid entry
                }
                order.add(idx);
            }
        }
        List<DeviceInfo> out = new ArrayList<>();
        for (int visibleIndex = 0; visibleIndex < order.size(); visibleIndex++) {
            int physical = order.get(visibleIndex);
            for (String[] f : all) {
                if (Integer.parseInt(f[0].strip()) == physical) {
                    out.add(new DeviceInfo("gpu:" + visibleIndex, f[1], mibToBytes(f[2]), capability(caps, physical), f[3], ""));
                }
            }
        }
        return List.copyOf(out);
    }

    private static String capability(String caps, int physical) {
        for (String line : caps.split("\\R")) {
            String[] f = line.split(",\\s*");
            if (f.length == 2 && f[0].strip().equals(Integer.toString(physical)) && f[1].strip().matches("\\d+\\.\\d+")) {
                return f[1].strip();
            }
        }
        return "";
    }

    private static long mibToBytes(String mib) {
        try {
            return Math.round(Double.parseDouble(mib.strip()) * (1 << 20));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<Path> findNvidiaSmi() {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(path == null ? List.of() : List.of(path.split(":")));
        dirs.add("/usr/bin");
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, "nvidia-smi");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs one query; empty when it fails or hangs (the process is then killed). */
    private static Optional<String> run(Path smi, String fields) {
        Process p = null;
        try {
            p = new ProcessBuilder(smi.toString(), "--query-gpu=" + fields, "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            // waited for before reading: its few lines fit the pipe, and a hung driver must not hang infodyn
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            try (InputStream in = p.getInputStream()) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}
