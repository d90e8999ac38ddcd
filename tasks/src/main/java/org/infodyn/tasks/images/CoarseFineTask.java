package org.infodyn.tasks.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.ParamType;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Splits;
import org.infodyn.api.data.Variable;
import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;
import org.infodyn.api.task.Task;

/**
 * An image classification task trained on a coarse labelling of the classes, with the fine label
 * as the irrelevant variable (the paper's second setting). Subclasses read one dataset format.
 *
 * <p>Splits: the official training files make the train split and the official test files the
 * probe split; a folder holding a single set of files is split with {@code probeFraction}.
 * {@code perClass} and {@code probePerClass} keep at most that many images of each fine class
 * (seeded), so that quick runs stay quick. Inputs are {@code [C, H, W]}, scaled to [0, 1] and
 * standardised per channel with the dataset's customary mean and standard deviation
 * ({@code normalize: false} keeps [0, 1]).
 */
abstract class CoarseFineTask implements Task {

    /** The images of the training part and, when the folder has one, of the test part. */
    protected record Parts(ImageData train, ImageData test) {
    }

    /** Classes of the fine labelling. */
    protected abstract int fineClasses();

    /** Names of the fine classes. */
    protected abstract List<String> fineNames();

    /** Reads the folder. */
    protected abstract Parts read(Path dir);

    /** Per-channel mean and sd of the pixel values scaled to [0, 1]. */
    protected abstract float[][] normalization();

    /** The coarse class of every fine class, and the coarse class names. */
    protected abstract Coarse coarse(Params params, ImageData data);

    /**
     * A coarse labelling.
     *
     * @param ofFine coarse class of each fine class (for CIFAR-100: null, the file has it)
     * @param names coarse class names
     */
    protected record Coarse(int[] ofFine, List<String> names) {
    }

    /** Where the files can be had, appended to the message for a missing folder (default: nothing). */
    protected String whereToGetData() {
        return "";
    }

    /** The parameters every image task has. */
    protected static List<ParamSpec> commonParameters() {
        return List.of(
                ParamSpec.required("data", ParamType.STRING, "folder with the dataset's files (nothing is downloaded)"),
                ParamSpec.integer("perClass", 0, "at most this many training images per fine class (0 = all)").atLeast(0),
                ParamSpec.integer("probePerClass", 0, "at most this many probe images per fine class (0 = all)").atLeast(0),
                ParamSpec.decimal("probeFraction", 0.1, "probe share when the folder holds a single set of files").atLeast(0.001).atMost(0.9),
                ParamSpec.bool("normalize", true, "standardise each channel with the dataset's usual mean and sd"));
    }

    /** The common parameters plus {@code coarse}: a fine→coarse mapping with a default. */
    protected static List<ParamSpec> withMapping(List<Long> defaultMapping, String description) {
        List<ParamSpec> p = new ArrayList<>(commonParameters());
        p.add(ParamSpec.integerList("coarse", defaultMapping, description).atLeast(0));
        return p;
    }

    /**
     * The {@code coarse} parameter as a labelling; the default mapping gets {@code defaultNames},
     * any other mapping generic names {@code coarse0..coarseK−1}.
     */
    protected Coarse mapped(Params params, List<Long> defaultMapping, List<String> defaultNames) {
        int[] map = mapping(params, "coarse", fineClasses());
        if (params.getLongList("coarse").equals(defaultMapping)) {
            return new Coarse(map, defaultNames);
        }
        int k = Arrays.stream(map).max().orElse(0) + 1;
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add("coarse" + c);
        }
        return new Coarse(map, names);
    }

    /** Checks a fine→coarse mapping: one entry per fine class, coarse ids 0..K−1 all used, K ≥ 2. */
    protected static int[] mapping(Params params, String field, int fine) {
        List<Long> m = params.getLongList(field);
        params.require(m.size() == fine, field, "needs exactly one coarse class for each of the " + fine + " fine classes, got "
                + m.size() + " entries");
        int[] out = new int[fine];
        TreeSet<Integer> used = new TreeSet<>();
        for (int i = 0; i < fine; i++) {
            out[i] = Math.toIntExact(m.get(i));
            used.add(out[i]);
        }
        params.require(used.first() == 0 && used.last() == used.size() - 1 && used.size() >= 2, field,
                "coarse classes must be numbered 0..K−1 with K ≥ 2 and each used, got " + m);
        return out;
    }

    @Override
    public Dataset create(Params params, long seed) {
        Path dir = Path.of(params.getString("data"));
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("task.data", "no such folder: " + dir + " (point it at the folder holding the " + id() + " files"
                    + whereToGetData() + ")");
        }
        Parts parts = read(dir);
        ImageData all = parts.test() == null ? parts.train() : parts.train().concat(parts.test());
        int[] train;
        int[] probe;
        Rng rng = Seeds.rng(seed, "subsample");
        if (parts.test() == null) {
            int[][] split = Splits.holdOut(all.count(), params.getDouble("probeFraction"), Seeds.rng(seed, "split"));
            train = split[0];
            probe = split[1];
        } else {
            train = new int[parts.train().count()];
            Arrays.setAll(train, i -> i);
            probe = new int[parts.test().count()];
            Arrays.setAll(probe, i -> parts.train().count() + i);
        }
        train = keep(all, train, params.getInt("perClass"), rng);
        probe = keep(all, probe, params.getInt("probePerClass"), rng);
        // compact: only the chosen images become floats
        int[] chosen = new int[train.length + probe.length];
        System.arraycopy(train, 0, chosen, 0, train.length);
        System.arraycopy(probe, 0, chosen, train.length, probe.length);
        float[][] norm = normalization();
        float[] x = all.normalized(chosen, params.getBoolean("normalize") ? norm[0] : null, norm[1]);
        int[] fine = new int[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            fine[i] = all.fine()[chosen[i]];
        }
        Coarse coarse = coarse(params, all);
        int[] coarseLabels = new int[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            coarseLabels[i] = coarse.ofFine() != null ? coarse.ofFine()[fine[i]] : all.extra().get(0)[chosen[i]];
        }
        int[] trainIdx = new int[train.length];
        Arrays.setAll(trainIdx, i -> i);
        int[] probeIdx = new int[probe.length];
        int trainCount = train.length;
        Arrays.setAll(probeIdx, i -> trainCount + i);
        List<Variable> vars = new ArrayList<>();
        vars.add(new Variable("coarse", coarse.names().size(), coarseLabels, coarse.names(), "coarse class (the training target)"));
        vars.add(new Variable("fine", fineClasses(), fine, fineNames(), "fine class"));
        return new Dataset(id(), FloatTensor.batch(chosen.length, new int[] {all.channels(), all.height(), all.width()}, x), vars,
                "coarse", trainIdx, probeIdx);
    }

    private int[] keep(ImageData all, int[] indices, int perClass, Rng rng) {
        if (perClass <= 0) {
            return indices;
        }
        int[] fine = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            fine[i] = all.fine()[indices[i]];
        }
        int[] kept = ImageData.subsample(fine, perClass, fineClasses(), rng);
        int[] out = new int[kept.length];
        for (int i = 0; i < kept.length; i++) {
            out[i] = indices[kept[i]];
        }
        return out;
    }

    /** A file name that exists in {@code dir}, trying each candidate in order (with and without .gz). */
    protected static Path find(Path dir, String... names) {
        for (String n : names) {
            for (String candidate : List.of(n, n + ".gz")) {
                if (Files.isRegularFile(dir.resolve(candidate))) {
                    return dir.resolve(candidate);
                }
            }
        }
        return null;
    }
}
