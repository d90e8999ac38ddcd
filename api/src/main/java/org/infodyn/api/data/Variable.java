package org.infodyn.api.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A discrete variable defined on every sample of a dataset: the training target, or a variable
 * whose information content a probe measures (checkerboard: {@code direction}, {@code color},
 * {@code config}; image tasks: {@code coarse}, {@code fine}).
 *
 * <p>The label array is held as is (not copied): treat it as read-only.
 *
 * @param name stable id used in experiment files and in {@code metrics.csv}
 * @param classes number of classes K ≥ 2; labels are in {@code [0, K)}
 * @param labels one label per sample of the dataset (index = sample index)
 * @param classNames a name per class (for reports), size K
 * @param description one line for listings
 */
public record Variable(String name, int classes, int[] labels, List<String> classNames, String description) {

    public Variable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(labels, "labels");
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(description, "description");
        if (classes < 2) {
            throw new IllegalArgumentException("variable " + name + " needs at least 2 classes, has " + classes);
        }
        if (classNames.size() != classes) {
            throw new IllegalArgumentException("variable " + name + " has " + classes + " classes but "
                    + classNames.size() + " class names");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("variable " + name + ": label " + labels[i] + " of sample " + i
                        + " is outside [0, " + classes + ")");
            }
        }
    }

    /** Labels of the given samples, in order. */
    public int[] labelsOf(int[] sampleIndices) {
        int[] out = new int[sampleIndices.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[sampleIndices[i]];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Variable v && v.name.equals(name) && v.classes == classes
                && Arrays.equals(v.labels, labels) && v.classNames.equals(classNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, classes, Arrays.hashCode(labels));
    }

    @Override
    public String toString() {
        return "Variable[" + name + ", K=" + classes + ", n=" + labels.length + "]";
    }
}
