package org.infodyn.engine.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.backend.Model;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.ModelSpec;

/** Captures frozen representations: the activations of named layers on chosen samples. */
public final class Activations {
    /** Samples per forward pass, to bound the backend's memory on large datasets. */
    public static final int CHUNK = 1024;

    private Activations() {
    }

    /**
     * The outputs of {@code layers} on samples {@code rows} of {@code inputs}, each flattened to
     * {@code [rows.length, d]}, in the order of {@code rows}.
     */
    public static Map<String, FloatTensor> capture(Model model, FloatTensor inputs, int[] rows, List<String> layers) {
        ModelSpec spec = model.spec();
        Map<String, float[]> acts = new LinkedHashMap<>();
        for (String l : layers) {
            acts.put(l, new float[rows.length * spec.outputSize(l)]);
        }
        for (int from = 0; from < rows.length; from += CHUNK) {
            int to = Math.min(from + CHUNK, rows.length);
            Map<String, FloatTensor> chunk = model.activations(inputs.gatherRows(rows, from, to), layers);
            for (String l : layers) {
                float[] src = chunk.get(l).data();
                System.arraycopy(src, 0, acts.get(l), from * spec.outputSize(l), src.length);
            }
        }
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        acts.forEach((l, a) -> out.put(l, FloatTensor.matrix(rows.length, spec.outputSize(l), a)));
        return out;
    }
}
