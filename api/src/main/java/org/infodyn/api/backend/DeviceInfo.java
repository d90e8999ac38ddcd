package org.infodyn.api.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One device a backend can run networks on, as {@code infodyn backends} lists it and every run's
 * manifest records it ({@code backend.device_used}). Unknown facts are empty strings (memory 0):
 * a backend reports what it can find out, nothing invented.
 *
 * @param id {@code cpu}, or {@code gpu:N} with N the index among the GPUs the backend sees
 *     (after {@code CUDA_VISIBLE_DEVICES})
 * @param name e.g. {@code NVIDIA H200} or the CPU's model name
 * @param memoryBytes the device's total memory (the host's for the CPU); 0 when unknown
 * @param computeCapability a GPU's CUDA compute capability, e.g. {@code 9.0}
 * @param driverVersion the NVIDIA driver's version
 * @param cudaVersion the CUDA version the backend's native library runs with, e.g. {@code 12.4}
 */
public record DeviceInfo(String id, String name, long memoryBytes, String computeCapability, String driverVersion, String cudaVersion) {

    /** The id of the host's CPU. */
    public static final String CPU = "cpu";

    private static final Pattern NAME = Pattern.compile("gpu(?::(\\d+)|\\((\\d+)\\))");

    public DeviceInfo {
        if (!id.equals(CPU) && !id.matches("gpu:\\d+")) {
            throw new IllegalArgumentException("a device id is cpu or gpu:N, got " + id);
        }
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must be ≥ 0, got " + memoryBytes);
        }
        name = name == null ? "" : name.strip();
        computeCapability = computeCapability == null ? "" : computeCapability.strip();
        driverVersion = driverVersion == null ? "" : driverVersion.strip();
        cudaVersion = cudaVersion == null ? "" : cudaVersion.strip();
    }

    /** Whether this is a GPU. */
    public boolean isGpu() {
        return !id.equals(CPU);
    }

    /** A GPU's index N in {@code gpu:N}; empty for the CPU. */
    public OptionalInt gpuIndex() {
        return isGpu() ? OptionalInt.of(Integer.parseInt(id.substring(4))) : OptionalInt.empty();
    }

    /**
     * The host's CPU: its model name and the machine's memory, read from {@code /proc} where
     * there is one (else the architecture's name and 0).
     */
    public static DeviceInfo hostCpu() {
        return Host.CPU_INFO;
    }

    /** The host's CPU, read once (every model and every {@code describe()} asks for it). */
    private static final class Host {
        static final DeviceInfo CPU_INFO = read();

        private static DeviceInfo read() {
            String name = procField(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
            long memory = procField(Path.of("/proc/meminfo"), "MemTotal").map(DeviceInfo::kibToBytes).orElse(0L);
            return new DeviceInfo(CPU, name + " (" + Runtime.getRuntime().availableProcessors() + " hardware threads)", memory, "", "",
                    "");
        }
    }

    /**
     * GPU {@code index} as the backend sees it, described by {@code nvidia-smi} where it can
     * (name, memory, compute capability, driver), with the backend's CUDA version.
     */
    public static DeviceInfo gpu(int index, String cudaVersion) {
        return Gpus.visible().stream().filter(g -> g.gpuIndex().orElseThrow() == index).findFirst()
                .map(g -> new DeviceInfo(g.id(), g.name(), g.memoryBytes(), g.computeCapability(), g.driverVersion(), cudaVersion))
                .orElse(new DeviceInfo("gpu:" + index, "", 0, "", "", cudaVersion));
    }

    /**
     * A device from its name alone: {@code cpu} (the host's, {@link #hostCpu()}), {@code gpu:N}
     * or {@code gpu(N)} (as {@link #gpu}, CUDA version unknown).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static DeviceInfo ofName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals(CPU)) {
            return hostCpu();
        }
        Matcher m = NAME.matcher(n);
        if (m.matches()) {
            return gpu(Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2)), "");
        }
        throw new IllegalArgumentException("a device name is cpu, gpu:N or gpu(N), got " + name);
    }

    /**
     * This device with the facts it lacks (memory 0, an empty compute capability) taken from
     * another source, such as the backend's own API when {@code nvidia-smi} said nothing; the
     * facts it has stay.
     */
    public DeviceInfo withUnknownsFrom(long memoryBytes, String computeCapability) {
        return new DeviceInfo(id, name, this.memoryBytes > 0 ? this.memoryBytes : Math.max(memoryBytes, 0),
                this.computeCapability.isEmpty() ? computeCapability : this.computeCapability, driverVersion, cudaVersion);
    }

    /** One line for people, e.g. {@code gpu:0 NVIDIA H200, 140.4 GiB, compute 9.0, driver 550.54, CUDA 12.4}. */
    public String describe() {
        StringBuilder b = new StringBuilder(id);
        if (!name.isEmpty()) {
            b.append(' ').append(name);
        }
        if (memoryBytes > 0) {
            b.append(String.format(Locale.ROOT, ", %.1f GiB", memoryBytes / (double) (1L << 30)));
        }
        if (!computeCapability.isEmpty()) {
            b.append(", compute ").append(computeCapability);
        }
        if (!driverVersion.isEmpty()) {
            b.append(", driver ").append(driverVersion);
        }
        if (!cudaVersion.isEmpty()) {
            b.append(", CUDA ").append(cudaVersion);
        }
        return b.toString();
    }

    /** The manifest's form: the known fields only, in a fixed order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        putIfKnown(m, "name", name);
        if (memoryBytes > 0) {
            m.put("memory_bytes", memoryBytes);
        }
        putIfKnown(m, "compute_capability", computeCapability);
        putIfKnown(m, "driver_version", driverVersion);
        putIfKnown(m, "cuda_version", cudaVersion);
        return m;
    }

    private static void putIfKnown(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }

    private static Optional<String> procField(Path file, String key) {
        try (var lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long kibToBytes(String value) {
        try {
            return Long.parseLong(value.replace("kB", "").strip()) * 1024;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
