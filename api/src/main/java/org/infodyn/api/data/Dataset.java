package org.infodyn.api.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link org.infodyn.api.task.Task} produces: inputs, discrete variables and two
 * disjoint splits. The <em>train</em> split trains the network (and supplies the decoders' fit
 * samples); the <em>probe</em> split is held out from network training and scores the decoders.
 *
 * <p>Immutable by contract: arrays are not copied (they can be large), so nobody may change them.
 */
public final class Dataset {
    private final String taskId;
    private final FloatTensor inputs;
    private final Map<String, Variable> variables;
    private final String defaultTarget;
    private final int[] trainIndices;
    private final int[] probeIndices;

    /**
     * @param taskId id of the task that made it
     * @param inputs all samples, {@code [n, ...sampleShape]}
     * @param variables the variables, each with n labels; names unique
     * @param defaultTarget the variable the network trains on unless a phase says otherwise
     * @param trainIndices sample indices of the train split
     * @param probeIndices sample indices of the probe split, disjoint from the train split
     */
    public Dataset(String taskId, FloatTensor inputs, List<Variable> variables, String defaultTarget,
            int[] trainIndices, int[] probeIndices) {
        this.taskId = Objects.requireNonNull(taskId);
        this.inputs = Objects.requireNonNull(inputs);
        if (inputs.rank() < 2) {
            throw new IllegalArgumentException("inputs must be [n, ...sampleShape], got " + inputs.shapeString());
        }
        int n = inputs.rows();
        Map<String, Variable> vars = new LinkedHashMap<>();
        for (Variable v : variables) {
            if (v.labels().length != n) {
                throw new IllegalArgumentException("variable " + v.name() + " has " + v.labels().length
                        + " labels for " + n + " samples");
            }
            if (vars.put(v.name(), v) != null) {
                throw new IllegalArgumentException("variable name used twice: " + v.name());
            }
        }
        this.variables = Collections.unmodifiableMap(vars);
        if (!vars.containsKey(defaultTarget)) {
            throw new IllegalArgumentException("default target " + defaultTarget + " is not a variable: " + vars.keySet());
        }
        this.defaultTarget = defaultTarget;
        BitSet seen = new BitSet(n);
        checkSplit("train", trainIndices, n, seen);
        checkSplit("probe", probeIndices, n, seen);
        this.trainIndices = trainIndices;
        this.probeIndices = probeIndices;
    }

    private static void checkSplit(String name, int[] idx, int n, BitSet seen) {
        if (idx.length == 0) {
            throw new IllegalArgumentException(name + " split is empty");
        }
        for (int i : idx) {
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException(name + " split holds index " + i + " outside [0, " + n + ")");
            }
            if (seen.get(i)) {
                throw new IllegalArgumentException("sample " + i + " is in the " + name + " split twice, or in both splits");
            }
            seen.set(i);
        }
    }

    /** Id of the task that made this dataset. */
    public String taskId() {
        return taskId;
    }

    /** All samples, {@code [n, ...sampleShape]} (read-only). */
    public FloatTensor inputs() {
        return inputs;
    }

    /** Per-sample input shape, e.g. {@code [227]} or {@code [1, 28, 28]} (channels first). */
    public int[] sampleShape() {
        return inputs.sampleShape();
    }

    /** Number of samples in all. */
    public int size() {
        return inputs.rows();
    }

    /** The variables by name, in the task's order. */
    public Map<String, Variable> variables() {
        return variables;
    }

    /** One variable by name. */
    public Optional<Variable> variable(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /** The variable the network trains on by default. */
    public String defaultTarget() {
        return defaultTarget;
    }

    /** Sample indices of the train split (read-only). */
    public int[] trainIndices() {
        return trainIndices;
    }

    /** Sample indices of the probe split (read-only). */
    public int[] probeIndices() {
        return probeIndices;
    }

    /** Names of the variables, in order. */
    public List<String> variableNames() {
        return new ArrayList<>(variables.keySet());
    }

    @Override
    public String toString() {
        return "Dataset[" + taskId + ", n=" + size() + ", sample " + Arrays.toString(sampleShape()) + ", train "
                + trainIndices.length + ", probe " + probeIndices.length + ", variables " + variables.keySet() + "]";
    }
}
