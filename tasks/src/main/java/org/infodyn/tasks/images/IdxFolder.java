package org.infodyn.tasks.images;

import java.nio.file.Path;
import java.util.List;

import org.infodyn.api.config.ConfigException;

/** The file layout MNIST and Fashion-MNIST share: IDX images and labels, a train and a test pair. */
final class IdxFolder {
    private IdxFolder() {
    }

    /**
     * Reads {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}
     * and {@code t10k-labels-idx1-ubyte} (gzip or not), or a single pair {@code images-idx3-ubyte} +
     * {@code labels-idx1-ubyte}.
     *
     * @param dataset the dataset's name, for messages
     */
    static CoarseFineTask.Parts read(Path dir, String dataset) {
        Path trainImages = CoarseFineTask.find(dir, "train-images-idx3-ubyte", "train-images.idx3-ubyte");
        Path trainLabels = CoarseFineTask.find(dir, "train-labels-idx1-ubyte", "train-labels.idx1-ubyte");
        Path testImages = CoarseFineTask.find(dir, "t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte");
        Path testLabels = CoarseFineTask.find(dir, "t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte");
        if (trainImages != null && trainLabels != null && testImages != null && testLabels != null) {
            return new CoarseFineTask.Parts(load(trainImages, trainLabels), load(testImages, testLabels));
        }
        Path images = CoarseFineTask.find(dir, "images-idx3-ubyte");
        Path labels = CoarseFineTask.find(dir, "labels-idx1-ubyte");
        if (images != null && labels != null) {
            return new CoarseFineTask.Parts(load(images, labels), null);
        }
        throw new ConfigException("task.data", dir + " holds no " + dataset + " files: expected train-images-idx3-ubyte, "
                + "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (gzip allowed), or images-idx3-ubyte "
                + "with labels-idx1-ubyte");
    }

    private static ImageData load(Path imagesFile, Path labelsFile) {
        IdxReader.Images img = IdxReader.images(imagesFile);
        int[] labels = IdxReader.labels(labelsFile, 10);
        if (labels.length != img.count()) {
            throw new ConfigException(labelsFile + " holds " + labels.length + " labels but " + imagesFile + " holds " + img.count() + " images");
        }
        return new ImageData(1, img.rows(), img.cols(), img.pixels(), labels, List.of());
    }
}
