package org.infodyn.api.probe;

import org.infodyn.api.data.FloatTensor;

/**
 * Representations of some samples (one row each, flattened: {@code [n, d]}) with one
 * variable's labels for the same samples.
 *
 * @param features {@code [n, d]}, read-only
 * @param labels n labels in {@code [0, classes)}, read-only
 */
public record LabelledFeatures(FloatTensor features, int[] labels) {
    public LabelledFeatures {
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features must be [n, d], got " + features.shapeString());
        }
        if (features.rows() != labels.length) {
            throw new IllegalArgumentException(features.rows() + " feature rows but " + labels.length + " labels");
        }
    }

    /** Number of samples. */
    public int size() {
        return labels.length;
    }

    /** Feature dimension. */
    public int dimension() {
        return features.dim(1);
    }
}
