package org.infodyn.tasks.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;

/**
 * {@code cifar10-coarse}: CIFAR-10 (binary version) trained on a coarse grouping of its 10
 * classes (default: vehicles {airplane, automobile, ship, truck} vs animals); variables
 * {@code coarse} and {@code fine}. Files {@code data_batch_1.bin} … {@code data_batch_5.bin} and
 * {@code test_batch.bin}, in the folder or its {@code cifar-10-batches-bin/} subfolder (as
 * unpacked from cifar-10-binary.tar.gz). Normalisation: per-channel mean (0.4914, 0.4822, 0.4465),
 * sd (0.2470, 0.2435, 0.2616).
 */
public final class Cifar10CoarseTask extends CoarseFineTask {
    private static final List<Long> DEFAULT_COARSE = List.of(0L, 0L, 1L, 1L, 1L, 1L, 1L, 1L, 0L, 0L);
    static final List<String> NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    @Override
    public String id() {
        return "cifar10-coarse";
    }

    @Override
    public String description() {
        return "CIFAR-10 binary files, trained on a coarse grouping (default vehicles vs animals); variables coarse, fine";
    }

    @Override
    public List<ParamSpec> parameters() {
        return withMapping(DEFAULT_COARSE, "coarse class of each fine class 0..9 (default: vehicles 0, animals 1)");
    }

    @Override
    protected int fineClasses() {
        return 10;
    }

    @Override
    protected List<String> fineNames() {
        return NAMES;
    }

    @Override
    protected float[][] normalization() {
        return new float[][] {{0.4914f, 0.4822f, 0.4465f}, {0.2470f, 0.2435f, 0.2616f}};
    }

    @Override
    protected Parts read(Path dir) {
        Path d = Files.isDirectory(dir.resolve("cifar-10-batches-bin")) ? dir.resolve("cifar-10-batches-bin") : dir;
        ImageData train = null;
        for (int i = 1; i <= 5; i++) {
            Path f = d.resolve("data_batch_" + i + ".bin");
            if (!Files.exists(f)) {
                if (i == 1) {
                    throw new ConfigException("task.data", d + " holds no CIFAR-10 binary files: expected data_batch_1.bin … data_batch_5.bin "
                            + "and test_batch.bin (the 'binary version' from https://www.cs.toronto.edu/~kriz/cifar.html)");
                }
                break; // fewer batches: use what is there
            }
            ImageData part = load(f);
            train = train == null ? part : train.concat(part);
        }
        Path test = d.resolve("test_batch.bin");
        return new Parts(train, Files.exists(test) ? load(test) : null);
    }

    private static ImageData load(Path f) {
        CifarReader.Batch b = CifarReader.read(f, 1, new int[] {10});
        return new ImageData(3, 32, 32, b.pixels(), b.labels()[0], List.of());
    }

    @Override
    protected Coarse coarse(Params params, ImageData data) {
        return mapped(params, DEFAULT_COARSE, List.of("vehicle", "animal"));
    }
}
