package org.infodyn.tasks.tabular;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.data.Variable;
import org.infodyn.tasks.io.ClassCoding;
import org.infodyn.tasks.io.Heap;
import org.infodyn.tasks.io.NpyArray;

/**
 * Reads a table from NumPy arrays: an {@code .npz} archive ({@code numpy.savez}) or a folder of
 * {@code .npy} files, one array per name. Every array has one entry per row along its first
 * dimension. Feature arrays of shape {@code [n]} are one column, {@code [n, d]} are d columns; a
 * single feature array {@code [n, c, h, w]} keeps its per-sample shape, so images stored by NumPy
 * can feed convolutional layers. Label arrays are one-dimensional: whole numbers or strings.
 */
final class NumpyTable {
    private static final String FIELD = "task.data";

    private NumpyTable() {
    }

    static Table read(Path data, Columns columns, int[] shape) {
        Map<String, NpyArray> arrays = Files.isDirectory(data) ? folder(data) : archive(data);
        String source = data.toString();
        List<String> features = columns.resolveFeatures(source, new ArrayList<>(arrays.keySet()));
        int n = -1;
        List<NpyArray> all = new ArrayList<>();
        features.forEach(f -> all.add(arrays.get(f)));
        columns.labels().forEach(l -> all.add(arrays.get(l)));
        columns.split().ifPresent(s -> all.add(arrays.get(s)));
        for (NpyArray a : all) {
            int[] s = a.shape();
            if (s.length == 0) {
                throw new ConfigException(FIELD, a.name() + " is a scalar; every array needs one entry per row");
            }
            if (n < 0) {
                n = s[0];
            } else if (s[0] != n) {
                throw new ConfigException(FIELD, a.name() + " has " + s[0] + " rows but " + all.get(0).name() + " has " + n
                        + "; every array needs one entry per row");
            }
        }
        if (n == 0) {
            throw new ConfigException(FIELD, source + " holds arrays of zero rows");
        }
        long width = 0;
        int[] natural = null;
        for (String f : features) {
            NpyArray a = arrays.get(f);
            if (a.isText()) {
                throw new ConfigException("task.features", a.name() + " has dtype " + a.dtype() + " (text); features must be numbers, "
                        + "a text array can be a probe variable");
            }
            if (a.shape().length > 2 && features.size() > 1) {
                throw new ConfigException("task.features", a.name() + " has shape " + Arrays.toString(a.shape()) + "; an array of more than "
                        + "two dimensions must be the only feature array");
            }
            if (a.shape().length > 2) {
                natural = Arrays.copyOfRange(a.shape(), 1, a.shape().length);
            }
            width += a.size() / n;
        }
        List<String> labels = columns.labels();
        Heap.require(FIELD, n * width * 4 + (long) n * 4 * labels.size(), n + " rows × " + width + " features of " + source);
        int w = Math.toIntExact(width);
        float[] x = new float[Math.toIntExact((long) n * w)];
        int offset = 0;
        for (String f : features) {
            NpyArray a = arrays.get(f);
            a.readFloats(x, w, offset);
            offset += (int) (a.size() / n);
        }
        List<Variable> vars = new ArrayList<>();
        for (String l : labels) {
            vars.add(labels(arrays.get(l), l, n, columns.declaredClasses().getOrDefault(l, List.of())));
        }
        boolean[] probe = columns.split().map(s -> split(arrays.get(s), s, arrays.get(s).shape()[0])).orElse(null);
        int[] sample = shape.length == 0 && natural != null ? natural : TabularTask.sampleShape(shape, w);
        return new Table(x, n, sample, vars, probe);
    }

    private static Variable labels(NpyArray a, String name, int n, List<String> declared) {
        ClassCoding coding = new ClassCoding(FIELD, name, declared);
        a.readLabels((i, v) -> coding.observe(v, a.name() + " element " + i));
        coding.freeze();
        int[] codes = new int[n];
        a.readLabels((i, v) -> codes[i] = coding.code(v, a.name() + " element " + i));
        return coding.variable(codes, "array " + a.name());
    }

    private static boolean[] split(NpyArray a, String name, int n) {
        boolean[] probe = new boolean[n];
        a.readLabels((i, v) -> {
            if (v.equals("probe") || v.equals("1")) {
                probe[i] = true;
            } else if (!v.equals("train") && !v.equals("0")) {
                throw new ConfigException(FIELD, a.name() + " element " + i + ": '" + v + "' is not a split; allowed: train, probe "
                        + "(or 0 = train, 1 = probe)");
            }
        });
        return probe;
    }

    private static Map<String, NpyArray> folder(Path dir) {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".npy")).sorted().toList()) {
                String name = p.getFileName().toString();
                out.put(name.substring(0, name.length() - 4), NpyArray.open(FIELD, p.toString(), () -> Files.newInputStream(p)));
            }
        } catch (IOException e) {
            throw new ConfigException(FIELD + ": cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new ConfigException(FIELD, dir + " holds no .npy files");
        }
        return out;
    }

    private static Map<String, NpyArray> archive(Path npz) {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                String entry = e.getName();
                if (!entry.endsWith(".npy")) {
                    continue;
                }
                String name = entry.substring(0, entry.length() - 4);
                out.put(name, NpyArray.open(FIELD, npz + ":" + name, () -> {
                    ZipFile z = new ZipFile(npz.toFile()); // one handle per pass, closed with its stream
                    return new java.io.FilterInputStream(z.getInputStream(z.getEntry(entry))) {
                        @Override
                        public void close() throws IOException {
                            super.close();
                            z.close();
                        }
                    };
                }));
            }
        } catch (IOException e) {
            throw new ConfigException(FIELD, npz + " is not a readable .npz archive (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new ConfigException(FIELD, npz + " holds no arrays");
        }
        return out;
    }
}
