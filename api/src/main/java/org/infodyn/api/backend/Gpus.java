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
    private static final String FIELDS = "index,uuid,name,memory.total,driver_version";
    private static final long TIMEOUT_SECONDS = 15;

    private static volatile List<DeviceInfo> visible;

    private Gpus() {
    }

    /**
     * The GPUs CUDA would show this process: every GPU {@code nvidia-smi} lists, narrowed and
     * renumbered by {@code CUDA_VISIBLE_DEVICES} as CUDA does (indices and {@code GPU-} UUID
     * prefixes; CUDA stops at the first entry it cannot match, so does this). nvidia-smi numbers
     * GPUs by PCI bus, CUDA fastest first unless {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}: the
     * launcher sets that for the GPU build, so that both orders agree. Empty without a driver.
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
     * Whether an NVIDIA driver is installed (its control device exists, or nvidia-smi lists a
     * GPU): CUDA libraries can only load with one.
     */
    public static boolean driverPresent() {
        return Files.exists(Path.of("/dev/nvidiactl")) || !visible().isEmpty();
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
     * Why the driver cannot run libraries built for {@code cuda}, or empty when it can, when the
     * version is one this does not know, or when there is no driver ({@link #unavailableReason()}
     * says that). The minimum is CUDA's for its major version (NVIDIA's minor-version
     * compatibility: 525.60.13 for any CUDA 12, 450.80.02 for 11).
     *
     * @param cuda the CUDA version a backend's library was built for, e.g. {@code 12.4}
     */
    public static Optional<String> driverTooOld(String cuda) {
        String minimum = cuda.startsWith("12.") ? "525.60.13" : cuda.startsWith("11.") ? "450.80.02" : "";
        if (minimum.isEmpty()) {
            return Optional.empty();
        }
        return visible().stream().map(DeviceInfo::driverVersion).filter(v -> !v.isEmpty()).findFirst()
                .filter(v -> compareVersions(v, minimum) < 0)
                .map(v -> "the NVIDIA driver " + v + " is too old for CUDA " + cuda + " (it needs " + minimum + " or newer)");
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
     * @param rows lines of {@code index, uuid, name, memory.total (MiB), driver_version}
     * @param caps lines of {@code index, compute_cap}; may be empty
     * @param cudaVisibleDevices the environment variable, or null
     */
    static List<DeviceInfo> parse(String rows, String caps, String cudaVisibleDevices) {
        List<String[]> all = new ArrayList<>();
        for (String line : rows.split("\\R")) {
            String[] f = line.split(",\\s*");
            if (f.length >= 5 && f[0].strip().matches("\\d+")) {
                all.add(f);
            }
        }
        List<String[]> order = new ArrayList<>();
        if (cudaVisibleDevices == null) {
            order.addAll(all);
        } else {
            for (String t : cudaVisibleDevices.split(",")) {
                String entry = t.strip();
                String[] match = all.stream().filter(f -> entry.matches("\\d+") ? f[0].strip().equals(entry)
                        : entry.startsWith("GPU-") && f[1].strip().startsWith(entry)).findFirst().orElse(null);
                if (match == null || order.contains(match)) {
                    break; // CUDA stops at the first entry it cannot use (-1, a typo, a MIG instance, a repeat)
                }
                order.add(match);
            }
        }
        List<DeviceInfo> out = new ArrayList<>();
        for (int visibleIndex = 0; visibleIndex < order.size(); visibleIndex++) {
            String[] f = order.get(visibleIndex);
            out.add(new DeviceInfo("gpu:" + visibleIndex, f[2], mibToBytes(f[3]), capability(caps, Integer.parseInt(f[0].strip())), f[4],
                    ""));
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
