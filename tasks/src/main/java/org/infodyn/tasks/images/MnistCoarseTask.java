package org.infodyn.tasks.images;

import java.nio.file.Path;
import java.util.List;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;

/**
 * {@code mnist-coarse}: MNIST (or Fashion-MNIST: same file format and names) trained on a coarse
 * grouping of the 10 classes; variables {@code coarse} (the target) and {@code fine} (the digit).
 * Files, gzip or not: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}; or a single pair
 * {@code images-idx3-ubyte} + {@code labels-idx1-ubyte}, which is then split with
 * {@code probeFraction}. Normalisation: mean 0.1307, sd 0.3081.
 */
public final class MnistCoarseTask extends CoarseFineTask {
    private static final List<Long> DEFAULT_COARSE = List.of(0L, 0L, 0L, 0L, 0L, 1L, 1L, 1L, 1L, 1L);

    @Override
    public String id() {
        return "mnist-coarse";
    }

    @Override
    public String description() {
        return "MNIST / Fashion-MNIST IDX files, trained on a coarse grouping (default digit < 5 vs ≥ 5); variables coarse, fine";
    }

    @Override
    public List<ParamSpec> parameters() {
        return withMapping(DEFAULT_COARSE, "coarse class of each fine class 0..9 (default: < 5 → 0, ≥ 5 → 1)");
    }

    @Override
    protected int fineClasses() {
        return 10;
    }

    @Override
    protected List<String> fineNames() {
        return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Override
    protected float[][] normalization() {
        return new float[][] {{0.1307f}, {0.3081f}};
    }

    @Override
    protected Parts read(Path dir) {
        Path trainImages = find(dir, "train-images-idx3-ubyte", "train-images.idx3-ubyte");
        Path trainLabels = find(dir, "train-labels-idx1-ubyte", "train-labels.idx1-ubyte");
        Path testImages = find(dir, "t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte");
        Path testLabels = find(dir, "t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte");
        if (trainImages != null && trainLabels != null && testImages != null && testLabels != null) {
            return new Parts(load(trainImages, trainLabels), load(testImages, testLabels));
        }
        Path images = find(dir, "images-idx3-ubyte");
        Path labels = find(dir, "labels-idx1-ubyte");
        if (images != null && labels != null) {
            return new Parts(load(images, labels), null);
        }
        throw new ConfigException("task.data", dir + " holds no MNIST files: expected train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                + "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (gzip allowed), or images-idx3-ubyte with labels-idx1-ubyte");
    }

    private static ImageData load(Path imagesFile, Path labelsFile) {
        IdxReader.Images img = IdxReader.images(imagesFile);
        int[] labels = IdxReader.labels(labelsFile, 10);
        if (labels.length != img.count()) {
            throw new ConfigException(labelsFile + " holds " + labels.length + " labels but " + imagesFile + " holds " + img.count() + " images");
        }
        return new ImageData(1, img.rows(), img.cols(), img.pixels(), labels, List.of());
    }

    @Override
    protected Coarse coarse(Params params, ImageData data) {
        return mapped(params, DEFAULT_COARSE, List.of("0-4", "5-9"));
    }
}
