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
    /** Most samples per forward pass, to bound the backend's memory on large datasets. */
    public static final int MAX_CHUNK = 1024;
    /** Fewest samples per forward pass: below this the per-call overhead shows. */
    static final int MIN_CHUNK = 16;
    /**
     * Bytes of the model's largest layer output per forward pass that a chunk is sized to. Why:
     * tensors above glibc's mmap threshold (32 MB, the launcher's setting and glibc's largest
     * default) are mapped fresh and page-faulted in on every pass. Measured on cnn-small over MNIST
     * (4,000 samples, DJL, whose conv1 output is 100 KB per image): 6.2 s per capture in chunks of
     * 1,024 (103 MB tensors), 0.9–1.1 s in chunks of 64–256; TensorFlow, with its own allocator,
     * ~0.55 s either way.
     */
    static final long CHUNK_BYTES = 16L << 20;

    /**
     * Samples per forward pass for {@code spec}, with {@code members} replicas side by side: as
     * many as keep the largest layer output within {@link #CHUNK_BYTES}, between
     * {@value #MIN_CHUNK} and {@value #MAX_CHUNK}.
     */
    public static int chunk(ModelSpec spec, int members) {
        long largest = 1;
        for (String layer : spec.layerNames()) {
            largest = Math.max(largest, (long) spec.outputSize(layer) * Float.BYTES * Math.max(1, members));
        }
        return (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, CHUNK_BYTES / largest));
    }

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
        int rowsPerPass = chunk(spec, members);
        for (int from = 0; from < n; from += rowsPerPass) {
            int to = Math.min(from + rowsPerPass, n);
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
