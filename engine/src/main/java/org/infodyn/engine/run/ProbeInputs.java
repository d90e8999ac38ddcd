package org.infodyn.engine.run;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Variable;
import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.ProbeData;

/**
 * The inputs of the probes at one probe point: each layer's activations on the decoders' fit
 * samples (a subset of the train split) followed by the held-out probe split, cut into the two
 * parts once per layer and paired with any variable's labels.
 */
public final class ProbeInputs {
    private final Map<String, FloatTensor> activations;
    private final int[] fitIndices;
    private final int[] heldOutIndices;
    private final Map<String, FloatTensor[]> parts = new HashMap<>();

    /**
     * @param activations per layer, {@code [fit + heldOut, d]}: rows of {@code fitIndices} first,
     *     then rows of {@code heldOutIndices} (as {@link #rows} orders them)
     * @param fitIndices sample indices of the fit rows
     * @param heldOutIndices sample indices of the held-out rows
     */
    public ProbeInputs(Map<String, FloatTensor> activations, int[] fitIndices, int[] heldOutIndices) {
        this.activations = activations;
        this.fitIndices = fitIndices;
        this.heldOutIndices = heldOutIndices;
    }

    /** The sample rows to capture activations for: the fit samples, then the held-out ones. */
    public static int[] rows(int[] fitIndices, int[] heldOutIndices) {
        int[] rows = Arrays.copyOf(fitIndices, fitIndices.length + heldOutIndices.length);
        System.arraycopy(heldOutIndices, 0, rows, fitIndices.length, heldOutIndices.length);
        return rows;
    }

    /**
     * What a probe sees for one layer and variable: the layer's activations, reduced.
     *
     * @param fitCount how many of the fit samples the probe asked for (a prefix; ≤ the fit rows)
     */
    public ProbeData data(long step, String layer, Reduction reduction, Variable variable, int fitCount) {
        FloatTensor[] p = parts(layer, reduction, fitCount);
        return new ProbeData(step, variable.classes(),
                new LabelledFeatures(p[0], variable.labelsOf(Arrays.copyOf(fitIndices, fitCount))),
                new LabelledFeatures(p[1], variable.labelsOf(heldOutIndices)));
    }

    /** The same for a probe that measures no variable: one class, every label 0. */
    public ProbeData dataWithoutVariable(long step, String layer, Reduction reduction, int fitCount) {
        FloatTensor[] p = parts(layer, reduction, fitCount);
        return new ProbeData(step, 1, new LabelledFeatures(p[0], new int[fitCount]),
                new LabelledFeatures(p[1], new int[heldOutIndices.length]));
    }

    /** A layer's activations on the held-out samples, unreduced (a companion layer of a probe). */
    public FloatTensor heldOut(String layer) {
        FloatTensor acts = activations.get(layer);
        return parts(layer, Reduction.none(new int[] {acts.dim(1)}), 0)[1];
    }

    private FloatTensor[] parts(String layer, Reduction reduction, int fitCount) {
        return parts.computeIfAbsent(layer + "\u0000" + reduction.id() + "\u0000" + fitCount,
                k -> split(reduction.apply(activations.get(layer), fitCount, fitIndices.length), fitCount));
    }

    private FloatTensor[] split(FloatTensor acts, int fitCount) {
        int d = acts.dim(1);
        float[] a = acts.data();
        int heldFrom = fitIndices.length * d;
        return new FloatTensor[] {
            FloatTensor.matrix(fitCount, d, Arrays.copyOfRange(a, 0, fitCount * d)),
            FloatTensor.matrix(heldOutIndices.length, d, Arrays.copyOfRange(a, heldFrom, heldFrom + heldOutIndices.length * d))};
    }
}
