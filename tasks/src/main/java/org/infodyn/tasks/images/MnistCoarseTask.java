package org.infodyn.tasks.images;

import java.nio.file.Path;
import java.util.List;

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
        return IdxFolder.read(dir, "MNIST");
    }

    @Override
    protected Coarse coarse(Params params, ImageData data) {
        return mapped(params, DEFAULT_COARSE, List.of("0-4", "5-9"));
    }
}
