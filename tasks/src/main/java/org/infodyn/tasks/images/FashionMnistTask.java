package org.infodyn.tasks.images;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;

/**
 * {@code fashion-mnist}: Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; 60,000 + 10,000 greyscale
 * 28×28 images of 10 kinds of clothing), trained on a coarse grouping: by default tops (T-shirt,
 * pullover, coat, shirt), long garments (trouser, dress), footwear (sandal, sneaker, ankle boot)
 * and bags; variables {@code coarse} (the target) and {@code fine} (the 10 classes). The files
 * are those of MNIST (IDX); by default they are read where Debian's {@code dataset-fashion-mnist}
 * package installs them. Normalisation: mean 0.2860, sd 0.3530.
 *
 * <p>Why the dress goes with the trouser: the grouping follows the garment's silhouette (long,
 * vertical), which is what a network sees in 28×28 pixels, and it keeps every coarse class but
 * bags made of more than one fine class, so that a coarse-trained layer has fine information to
 * discard in three of four groups.
 */
public final class FashionMnistTask extends CoarseFineTask {
    /** Where Debian's dataset-fashion-mnist package puts the files. */
    public static final String DEBIAN_FOLDER = "/usr/share/datasets/fashion-mnist";

    private static final List<Long> DEFAULT_COARSE = List.of(0L, 1L, 0L, 1L, 0L, 2L, 0L, 2L, 3L, 2L);
    private static final List<String> FINE = List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
            "bag", "ankle-boot");

    @Override
    public String id() {
        return "fashion-mnist";
    }

    @Override
    public String description() {
        return "Fashion-MNIST IDX files (default: Debian's dataset-fashion-mnist), trained on tops / long garments / footwear / bags; "
                + "variables coarse, fine";
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> p = new ArrayList<>(withMapping(DEFAULT_COARSE, "coarse class of each fine class 0..9 (default: tops 0, 2, 4, 6; "
                + "long garments 1, 3; footwear 5, 7, 9; bags 8)"));
        p.set(0, ParamSpec.string("data", DEBIAN_FOLDER, "folder with the Fashion-MNIST IDX files (nothing is downloaded)"));
        return p;
    }

    @Override
    protected int fineClasses() {
        return 10;
    }

    @Override
    protected List<String> fineNames() {
        return FINE;
    }

    @Override
    protected float[][] normalization() {
        return new float[][] {{0.2860f}, {0.3530f}};
    }

    @Override
    protected String whereToGetData() {
        return "; on Debian or Ubuntu, `apt-get install dataset-fashion-mnist` puts them in " + DEBIAN_FOLDER;
    }

    @Override
    protected Parts read(Path dir) {
        return IdxFolder.read(dir, "Fashion-MNIST");
    }

    @Override
    protected Coarse coarse(Params params, ImageData data) {
        return mapped(params, DEFAULT_COARSE, List.of("tops", "long", "footwear", "bags"));
    }
}
