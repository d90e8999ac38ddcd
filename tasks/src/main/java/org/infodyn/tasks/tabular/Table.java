package org.infodyn.tasks.tabular;

import java.util.List;

import org.infodyn.api.data.Variable;

/**
 * A table read into memory: the features of every row (row-major, {@code rows × width} floats,
 * each row of per-sample shape {@code sampleShape}), the label columns coded as variables, and
 * per row whether it belongs to the probe split (null when the table declares no split).
 */
record Table(float[] features, int rows, int[] sampleShape, List<Variable> variables, boolean[] probeRows) {

    /** Features per row. */
    int width() {
        int w = 1;
        for (int d : sampleShape) {
            w *= d;
        }
        return w;
    }
}
