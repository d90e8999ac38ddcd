package org.infodyn.engine.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ReplicaGroup;
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
        return capture(model.spec(), rows.length, 1, layers,
                (from, to) -> List.of(model.activations(inputs.gatherRows(rows, from, to), layers))).get(0);
    }

    /**
     * The same for several replicas of a group at once, each on its own inputs and rows (all of
     * one length): one call of the group per chunk, however many replicas.
     *
     * @return per replica, in the order given
     */
    public static List<Map<String, FloatTensor>> capture(ReplicaGroup group, List<Integer> replicas, List<FloatTensor> inputs,
            List<int[]> rows, List<String> layers) {
        int n = rows.get(0).length;
        return capture(group.spec(), n, replicas.size(), layers, (from, to) -> {
            List<ReplicaGroup.ReplicaInputs> chunk = new ArrayList<>();
            for (int i = 0; i < replicas.size(); i++) {
                chunk.add(new ReplicaGroup.ReplicaInputs(replicas.get(i), inputs.get(i).gatherRows(rows.get(i), from, to)));
            }
            return group.activations(chunk, layers);
        });
    }

    /** Fetches one chunk of rows {@code [from, to)} for every member. */
    private interface Chunks {
        List<Map<String, FloatTensor>> fetch(int from, int to);
    }

    private static List<Map<String, FloatTensor>> capture(ModelSpec spec, int n, int members, List<String> layers, Chunks chunks) {
        List<Map<String, float[]>> acts = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            Map<String, float[]> a = new LinkedHashMap<>();
            for (String l : layers) {
                a.put(l, new float[n * spec.outputSize(l)]);
            }
            acts.add(a);
        }
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(from + CHUNK, n);
            List<Map<String, FloatTensor>> chunk = chunks.fetch(from, to);
            for (int m = 0; m < members; m++) {
                for (String l : layers) {
                    float[] src = chunk.get(m).get(l).data();
                    System.arraycopy(src, 0, acts.get(m).get(l), from * spec.outputSize(l), src.length);
                }
            }
        }
        List<Map<String, FloatTensor>> out = new ArrayList<>();
        for (Map<String, float[]> a : acts) {
            Map<String, FloatTensor> m = new LinkedHashMap<>();
            a.forEach((l, v) -> m.put(l, FloatTensor.matrix(n, spec.outputSize(l), v)));
            out.add(m);
        }
        return out;
    }
}
