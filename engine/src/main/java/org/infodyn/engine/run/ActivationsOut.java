package org.infodyn.engine.run;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Variable;
import org.infodyn.engine.experiment.ActivationsSpec;
import org.infodyn.engine.output.AtomicFiles;

/**
 * Saves the activations a probe point captured as a NumPy archive, so that representations can
 * be analysed in Python or R: {@code activations/step-<N>.npz} in the run directory, with
 * <ul>
 * <li>{@code act_<layer>}: float32 {@code [rows, ...layer shape]}, the layer's whole output in
 *     inference mode (before any probe reduction);</li>
 * <li>{@code label_<variable>}: int64 {@code [rows]}, every variable's class index
 *     ({@code dataset.class_names} in the manifest names the classes);</li>
 * <li>{@code split}: int8 {@code [rows]}, 0 for the decoders' fit samples (from the train split),
 *     1 for the held-out probe split that scores them;</li>
 * <li>{@code sample}: int64 {@code [rows]}, each row's index in the task's dataset.</li>
 * </ul>
 * Files are written atomically; the size of all of them is computed and checked against
 * {@code activations.maxMegabytes} when the run is planned, before anything is written.
 */
public final class ActivationsOut {
    private final TreeSet<Long> steps;
    private final List<String> layers;
    private final long bytesPerFile;

    private ActivationsOut(TreeSet<Long> steps, List<String> layers, long bytesPerFile) {
        this.steps = steps;
        this.layers = layers;
        this.bytesPerFile = bytesPerFile;
    }

    /**
     * The plan's activation saving, checked: steps must be probe points, layers probed layers,
     * and the files within the bound.
     *
     * @throws ConfigException naming the {@code activations} field at fault
     */
    public static Optional<ActivationsOut> of(RunPlan plan) {
        Optional<ActivationsSpec> spec = plan.experiment().activations();
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        ActivationsSpec s = spec.get();
        List<Long> probeSteps = plan.probeSteps();
        TreeSet<Long> steps = new TreeSet<>();
        for (int i = 0; i < s.steps().size(); i++) {
            long step = s.steps().get(i) == ActivationsSpec.LAST ? plan.training().totalSteps() : s.steps().get(i);
            if (!probeSteps.contains(step)) {
                throw new ConfigException("activations.steps[" + i + "]", "step " + step + " is not a probe point of this run; probe points: "
                        + shortList(probeSteps) + " (or 'last')");
            }
            steps.add(step);
        }
        List<String> probed = plan.probedLayers();
        List<String> layers = s.layers().isEmpty() ? probed : s.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (!probed.contains(layers.get(i))) {
                throw new ConfigException("activations.layers[" + i + "]", "'" + layers.get(i) + "' is not a probed layer (only those are "
                        + "captured); probed: " + ConfigException.list(probed));
            }
        }
        long rows = plan.fitIndices().length + plan.dataset().probeIndices().length;
        long perRow = 0;
        for (String l : layers) {
            perRow += 4L * plan.model().outputSize(l);
        }
        perRow += 8L * plan.dataset().variables().size() + 1 + 8;
        long perFile = rows * perRow;
        long total = perFile * steps.size();
        if (total > s.maxMegabytes() << 20) {
            throw new ConfigException("activations.maxMegabytes", "saving " + layers.size() + " layer(s) of " + rows + " samples at "
                    + steps.size() + " step(s) would write " + megabytes(total) + " MB, more than the bound of " + s.maxMegabytes()
                    + " MB; save fewer steps or layers, or raise activations.maxMegabytes");
        }
        return Optional.of(new ActivationsOut(steps, List.copyOf(layers), perFile));
    }

    private static String shortList(List<Long> steps) {
        return steps.size() <= 12 ? ConfigException.list(steps)
                : ConfigException.list(steps.subList(0, 12)) + " … (" + steps.size() + " in all)";
    }

    /** Size in MB, one decimal. */
    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    /** Whether this step's activations are saved. */
    public boolean savesAt(long step) {
        return steps.contains(step);
    }

    /** For the manifest and the run's first message: what is saved, and how much. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", new ArrayList<>(steps));
        m.put("layers", layers);
        m.put("bytes_per_file", bytesPerFile);
        m.put("bytes", bytesPerFile * steps.size());
        m.put("folder", "activations");
        return m;
    }

    /** What is saved, for messages: {@code of [hidden3] at steps [0, 114]: 0.1 MB per run}. */
    public String summary() {
        return "of " + layers + " at steps " + new ArrayList<>(steps) + ": " + megabytes(totalBytes()) + " MB per run";
    }

    /** Total bytes of all files. */
    public long totalBytes() {
        return bytesPerFile * steps.size();
    }

    /**
     * Writes one step's file.
     *
     * @param runDir the run directory
     * @param acts the point's activations by layer, rows = fit samples then held-out samples
     */
    public void write(Path runDir, RunPlan plan, long step, Map<String, FloatTensor> acts) throws IOException {
        Path dir = Files.createDirectories(runDir.resolve("activations"));
        int[] rows = ProbePoint.rows(plan);
        int fit = plan.fitIndices().length;
        AtomicFiles.write(dir.resolve("step-" + step + ".npz"), out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(0); // float activations barely compress; numpy.load reads stored entries fastest
            for (String l : layers) {
                FloatTensor t = acts.get(l);
                entry(zip, "act_" + l, "<f4", t.shape(), 4, buf -> {
                    for (float v : t.data()) {
                        buf.putFloat(v);
                    }
                });
            }
            for (Variable v : plan.dataset().variables().values()) {
                entry(zip, "label_" + v.name(), "<i8", new int[] {rows.length}, 8, buf -> {
                    for (int r : rows) {
                        buf.putLong(v.labels()[r]);
                    }
                });
            }
            entry(zip, "split", "|i1", new int[] {rows.length}, 1, buf -> {
                for (int i = 0; i < rows.length; i++) {
                    buf.put((byte) (i < fit ? 0 : 1));
                }
            });
            entry(zip, "sample", "<i8", new int[] {rows.length}, 8, buf -> {
                for (int r : rows) {
                    buf.putLong(r);
                }
            });
            zip.finish();
        });
    }

    @FunctionalInterface
    private interface Values {
        void put(Sink buf) throws IOException;
    }

    /** A little-endian writer that streams in chunks (an activation array can be hundreds of MB). */
    private static final class Sink {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        Sink(OutputStream out) {
            this.out = out;
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        void putFloat(float v) throws IOException {
            room(4);
            buf.putFloat(v);
        }

        void putLong(long v) throws IOException {
            room(8);
            buf.putLong(v);
        }

        void put(byte v) throws IOException {
            room(1);
            buf.put(v);
        }

        void flush() throws IOException {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
    }

    /** One array, in the .npy format version 1.0 (C order). */
    private static void entry(ZipOutputStream zip, String name, String dtype, int[] shape, int itemSize, Values values) throws IOException {
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        String dims = shape.length == 1 ? shape[0] + "," : String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toList());
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64; // numpy aligns the data to 64 bytes
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        DataOutputStream d = new DataOutputStream(zip);
        d.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        d.write(header.length & 0xff);
        d.write(header.length >> 8);
        d.write(header);
        d.flush();
        Sink sink = new Sink(zip);
        values.put(sink);
        sink.flush();
        zip.closeEntry();
    }
}
