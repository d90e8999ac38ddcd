package org.infodyn.tasks.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;

/**
 * {@code cifar100-coarse}: CIFAR-100 (binary version) trained on its official 20 superclasses;
 * variables {@code coarse} (superclass) and {@code fine} (the 100 classes). Files {@code train.bin}
 * and {@code test.bin}, in the folder or its {@code cifar-100-binary/} subfolder. Normalisation:
 * per-channel mean (0.5071, 0.4865, 0.4409), sd (0.2673, 0.2564, 0.2762).
 */
public final class Cifar100CoarseTask extends CoarseFineTask {
    static final List<String> COARSE = List.of("aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
            "household_electrical_devices", "household_furniture", "insects", "large_carnivores", "large_man-made_outdoor_things",
            "large_natural_outdoor_scenes", "large_omnivores_and_herbivores", "medium_mammals", "non-insect_invertebrates", "people",
            "reptiles", "small_mammals", "trees", "vehicles_1", "vehicles_2");
    static final List<String> FINE = List.of("apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle",
            "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle", "chair", "chimpanzee",
            "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest",
            "fox", "girl", "hamster", "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man",
            "maple_tree", "motorcycle", "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear",
            "pickup_truck", "pine_tree", "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
            "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider", "squirrel", "streetcar",
            "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor", "train", "trout", "tulip",
            "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm");

    @Override
    public String id() {
        return "cifar100-coarse";
    }

    @Override
    public String description() {
        return "CIFAR-100 binary files, trained on the 20 official superclasses; variables coarse, fine (100 classes)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return commonParameters();
    }

    @Override
    protected int fineClasses() {
        return 100;
    }

    @Override
    protected List<String> fineNames() {
        return FINE;
    }

    @Override
    protected float[][] normalization() {
        return new float[][] {{0.5071f, 0.4865f, 0.4409f}, {0.2673f, 0.2564f, 0.2762f}};
    }

    @Override
    protected Parts read(Path dir) {
        Path d = Files.isDirectory(dir.resolve("cifar-100-binary")) ? dir.resolve("cifar-100-binary") : dir;
        Path train = d.resolve("train.bin");
        if (!Files.exists(train)) {
            throw new ConfigException("task.data", d + " holds no CIFAR-100 binary files: expected train.bin and test.bin (the "
                    + "'binary version' from https://www.cs.toronto.edu/~kriz/cifar.html)");
        }
        Path test = d.resolve("test.bin");
        return new Parts(load(train), Files.exists(test) ? load(test) : null);
    }

    private static ImageData load(Path f) {
        CifarReader.Batch b = CifarReader.read(f, 2, new int[] {20, 100});
        return new ImageData(3, 32, 32, b.pixels(), b.labels()[1], List.of(b.labels()[0]));
    }

    @Override
    protected Coarse coarse(Params params, ImageData data) {
        return new Coarse(null, COARSE); // the superclass byte of each record
    }
}
