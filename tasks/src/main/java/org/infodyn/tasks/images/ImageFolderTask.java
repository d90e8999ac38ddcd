package org.infodyn.tasks.images;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.ParamType;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Splits;
import org.infodyn.api.data.Variable;
import org.infodyn.api.random.Seeds;
import org.infodyn.api.task.Task;
import org.infodyn.tasks.io.ClassCoding;
import org.infodyn.tasks.io.CsvRows;
import org.infodyn.tasks.io.Heap;
import org.infodyn.tasks.io.Standardize;

/**
 * {@code image-folder}: your own images in the common one-folder-per-class layout
 * ({@code data/cat/001.png}, {@code data/dog/002.jpg}, …), PNG or JPEG, read with the JDK's
 * ImageIO. The target {@code class} has one class per folder, in sorted order. An optional CSV
 * ({@code variables}) gives per-image variables to probe: a {@code file} column with each image's
 * path relative to the folder ({@code cat/001.png}) and one column per variable.
 *
 * <p>Every image becomes {@code [C, H, W]}: {@code fit: exact} (the default) requires every image
 * to be {@code size} already; {@code resize} stretches each to it (bilinear); {@code center-crop}
 * cuts the central {@code size} window. {@code color: auto} makes grey images one channel and
 * colour images three. Pixels are scaled to [0, 1] and, unless {@code normalize: false},
 * standardised per channel with the train split's mean and standard deviation.
 *
 * <p>Reading is strict: an empty class folder, a file that is not a readable PNG or JPEG, an
 * image of the wrong size, a variables row for an image that is not there, an image without a
 * row: each is an error naming the path.
 */
public final class ImageFolderTask implements Task {
    /** The target variable: the image's class folder. */
    public static final String TARGET = "class";

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");
    private static final String FIELD = "task.data";

    private static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.required("data", ParamType.STRING, "folder with one subfolder of PNG or JPEG images per class"),
            ParamSpec.integerList("size", List.of(), "[height, width] (or [side]) of every image; default: the first image's size")
                    .atLeast(1),
            ParamSpec.choice("fit", "exact", List.of("exact", "resize", "center-crop"),
                    "how images get to size: exact = they must be that size, resize = stretched, center-crop = the central window"),
            ParamSpec.choice("color", "auto", List.of("auto", "grey", "rgb"), "channels: auto = grey when every image is grey, else rgb"),
            ParamSpec.string("variables", "", "CSV of per-image variables: a 'file' column (path relative to data) and one column per variable"),
            ParamSpec.integer("perClass", 0, "at most this many images per class, chosen by seed (0 = all)").atLeast(0),
            ParamSpec.decimal("probeFraction", 0.2, "share of the images held out as the probe split").greaterThan(0).atMost(0.9),
            ParamSpec.bool("normalize", true, "standardise each channel with the train split's mean and standard deviation"));

    @Override
    public String id() {
        return "image-folder";
    }

    @Override
    public String description() {
        return "your own PNG/JPEG images, one folder per class (target 'class'), with an optional CSV of per-image variables";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMS;
    }

    /** An image file and its class. */
    private record Entry(String relative, Path path, int label) {
    }

    @Override
    public Dataset create(Params params, long seed) {
        Path dir = Path.of(params.getString("data"));
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(FIELD, "no such folder: " + dir + " (expected one subfolder of images per class)");
        }
        List<String> classNames = new ArrayList<>();
        List<Entry> entries = list(dir, classNames);
        entries = subsample(entries, classNames.size(), params.getInt("perClass"), seed);
        int[] size = size(params, entries.get(0));
        String fit = params.getString("fit");
        int plane = size[0] * size[1];
        Heap.require(FIELD, (long) entries.size() * plane * 7, entries.size() + " images of " + size[0] + "×" + size[1]);
        byte[] rgb = new byte[Math.toIntExact((long) entries.size() * 3 * plane)];
        boolean allGrey = true;
        for (int i = 0; i < entries.size(); i++) {
            allGrey &= pixels(entries.get(i), size, fit, rgb, i * 3 * plane);
        }
        String color = params.getString("color");
        int channels = color.equals("grey") || color.equals("auto") && allGrey ? 1 : 3;
        float[] x = floats(rgb, entries.size(), plane, channels);
        int[] labels = entries.stream().mapToInt(Entry::label).toArray();
        List<Variable> vars = new ArrayList<>();
        vars.add(new Variable(TARGET, classNames.size(), labels, classNames, "the image's class folder (the training target)"));
        String variablesFile = params.getString("variables");
        if (!variablesFile.isEmpty()) {
            Path csv = dir.resolve(variablesFile);
            vars.addAll(perImage(csv, entries));
        }
        int[][] split = Splits.holdOut(entries.size(), params.getDouble("probeFraction"), Seeds.rng(seed, "split"));
        if (params.getBoolean("normalize")) {
            Standardize.perChannel(x, channels, plane, split[0]);
        }
        return new Dataset(id(), FloatTensor.batch(entries.size(), new int[] {channels, size[0], size[1]}, x), vars, TARGET, split[0],
                split[1]);
    }

    /** The class folders, sorted, and their images, sorted; strict about anything else. */
    private static List<Entry> list(Path dir, List<String> classNames) {
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> top = Files.list(dir)) {
            List<Path> children = top.filter(p -> !hidden(p)).sorted().toList();
            for (Path c : children) {
                if (!Files.isDirectory(c)) {
                    if (isImage(c)) {
                        throw new ConfigException(FIELD, c + ": images must be inside one folder per class, not in " + dir + " itself");
                    }
                    continue; // a README or the variables CSV
                }
                int label = classNames.size();
                String name = c.getFileName().toString();
                int before = out.size();
                try (Stream<Path> files = Files.list(c)) {
                    for (Path f : files.filter(p -> !hidden(p)).sorted().toList()) {
                        if (Files.isDirectory(f)) {
                            throw new ConfigException(FIELD, f + " is a folder; a class folder holds images only (no nesting)");
                        }
                        if (!isImage(f)) {
                            throw new ConfigException(FIELD, f + " is not a PNG or JPEG image (allowed extensions: "
                                    + String.join(", ", EXTENSIONS) + ")");
                        }
                        out.add(new Entry(name + "/" + f.getFileName(), f, label));
                    }
                }
                if (out.size() == before) {
                    throw new ConfigException(FIELD, "class folder " + c + " is empty");
                }
                classNames.add(name);
            }
        } catch (IOException e) {
            throw new ConfigException(FIELD + ": cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (classNames.size() < 2) {
            throw new ConfigException(FIELD, dir + " has " + classNames.size() + " class folder" + (classNames.size() == 1 ? "" : "s")
                    + (classNames.isEmpty() ? "" : " (" + classNames.get(0) + ")") + "; at least two are needed, one per class");
        }
        return out;
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    private static List<Entry> subsample(List<Entry> entries, int classes, int perClass, long seed) {
        int[] labels = entries.stream().mapToInt(Entry::label).toArray();
        int[] kept = ImageData.subsample(labels, perClass, classes, Seeds.rng(seed, "subsample"));
        return Arrays.stream(kept).mapToObj(entries::get).toList();
    }

    private static int[] size(Params params, Entry first) {
        List<Long> s = params.getLongList("size");
        params.require(s.size() <= 2, "size", "expected [height, width] or [side], got " + s);
        if (s.isEmpty()) {
            BufferedImage img = decode(first);
            return new int[] {img.getHeight(), img.getWidth()};
        }
        int h = Math.toIntExact(s.get(0));
        int w = Math.toIntExact(s.get(s.size() - 1));
        params.require((long) h * w <= 1 << 24, "size", h + "×" + w + " is larger than infodyn reads (16 megapixels)");
        return new int[] {h, w};
    }

    private static BufferedImage decode(Entry e) {
        BufferedImage img;
        try {
            img = ImageIO.read(e.path().toFile());
        } catch (IOException | RuntimeException ex) {
            throw new ConfigException(FIELD, e.path() + " is not a readable PNG or JPEG image (" + ex.getMessage() + ")");
        }
        if (img == null) {
            throw new ConfigException(FIELD, e.path() + " is not a readable PNG or JPEG image (no image reader recognised it)");
        }
        return img;
    }

    /** Decodes one image to size into {@code out} as 3 planes of bytes; true when it is grey. */
    private static boolean pixels(Entry e, int[] size, String fit, byte[] out, int offset) {
        BufferedImage img = decode(e);
        int h = size[0];
        int w = size[1];
        BufferedImage src = img;
        if (img.getHeight() != h || img.getWidth() != w) {
            switch (fit) {
                case "exact" -> throw new ConfigException(FIELD, e.path() + " is " + img.getHeight() + "×" + img.getWidth() + " (height × "
                        + "width), not " + h + "×" + w + "; set task.size, or task.fit: resize or center-crop to adapt the images");
                case "center-crop" -> {
                    if (img.getHeight() < h || img.getWidth() < w) {
                        throw new ConfigException(FIELD, e.path() + " is " + img.getHeight() + "×" + img.getWidth() + ", smaller than the "
                                + h + "×" + w + " window center-crop cuts; use task.fit: resize");
                    }
                    src = img.getSubimage((img.getWidth() - w) / 2, (img.getHeight() - h) / 2, w, h);
                }
                default -> {
                }
            }
        }
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        int plane = h * w;
        boolean grey = true;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getRGB(x, y);
                int r = p >> 16 & 0xff;
                int gr = p >> 8 & 0xff;
                int b = p & 0xff;
                grey &= r == gr && gr == b;
                int at = offset + y * w + x;
                out[at] = (byte) r;
                out[at + plane] = (byte) gr;
                out[at + 2 * plane] = (byte) b;
            }
        }
        return grey;
    }

    /** Bytes to [0, 1] floats; one channel is the luminance (ITU-R 601), exact for grey images. */
    private static float[] floats(byte[] rgb, int n, int plane, int channels) {
        float[] x = new float[Math.toIntExact((long) n * channels * plane)];
        for (int i = 0; i < n; i++) {
            int src = i * 3 * plane;
            int dst = i * channels * plane;
            for (int p = 0; p < plane; p++) {
                int r = rgb[src + p] & 0xff;
                int g = rgb[src + plane + p] & 0xff;
                int b = rgb[src + 2 * plane + p] & 0xff;
                if (channels == 1) {
                    x[dst + p] = (r == g && g == b ? r : (299 * r + 587 * g + 114 * b + 500) / 1000) / 255f;
                } else {
                    x[dst + p] = r / 255f;
                    x[dst + plane + p] = g / 255f;
                    x[dst + 2 * plane + p] = b / 255f;
                }
            }
        }
        return x;
    }

    /** The per-image variables of the CSV, in image order. */
    private static List<Variable> perImage(Path csv, List<Entry> entries) {
        String field = "task.variables";
        if (!Files.isRegularFile(csv)) {
            throw new ConfigException(field, "no such file: " + csv);
        }
        Map<String, Integer> imageIndex = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            imageIndex.put(entries.get(i).relative(), i);
        }
        Map<String, List<String>> rows = new LinkedHashMap<>();
        Map<String, Long> lines = new HashMap<>();
        List<String> header;
        try (CsvRows in = CsvRows.open(field, csv, ',')) {
            header = in.header();
            if (!header.contains("file")) {
                throw new ConfigException(field, csv + " has no 'file' column; its columns: " + ConfigException.list(header));
            }
            if (header.contains(TARGET)) {
                throw new ConfigException(field, csv + " has a column '" + TARGET + "', the name of the target (the class folder); rename it");
            }
            if (header.size() < 2) {
                throw new ConfigException(field, csv + " has no variable columns besides 'file'");
            }
            int fileAt = header.indexOf("file");
            List<String> row;
            while ((row = in.next(field)) != null) {
                String file = row.get(fileAt).strip().replace('\\', '/');
                String where = csv + " line " + in.line();
                if (rows.put(file, row) != null) {
                    throw new ConfigException(field, where + ": image '" + file + "' has a row already (line " + lines.get(file) + ")");
                }
                lines.put(file, in.line());
                if (!imageIndex.containsKey(file) && !Files.isRegularFile(csv.getParent().resolve(file))) {
                    throw new ConfigException(field, where + ": no image '" + file + "' in the class folders (paths are relative to "
                            + "task.data, e.g. " + entries.get(0).relative() + ")");
                }
            }
        }
        for (Entry e : entries) {
            if (!rows.containsKey(e.relative())) {
                throw new ConfigException(field, csv + " has no row for image " + e.relative() + "; every image needs its variables");
            }
        }
        List<Variable> vars = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).equals("file")) {
                continue;
            }
            String column = header.get(c);
            ClassCoding coding = new ClassCoding(field, column, List.of());
            for (Entry e : entries) {
                coding.observe(rows.get(e.relative()).get(c), csv + " line " + lines.get(e.relative()));
            }
            coding.freeze();
            int[] labels = new int[entries.size()];
            for (int i = 0; i < labels.length; i++) {
                Entry e = entries.get(i);
                labels[i] = coding.code(rows.get(e.relative()).get(c), csv + " line " + lines.get(e.relative()));
            }
            vars.add(coding.variable(labels, "column " + column + " of " + csv.getFileName()));
        }
        return vars;
    }
}
