package org.infodyn.engine.run;

import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Variable;
import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;

/**
 * The batches of one phase, in the engine's order: each epoch is a fresh permutation of the train
 * split drawn from {@code Seeds.derive(batchesSeed, "phase<i>")}, cut into consecutive batches;
 * the last batch of an epoch may be smaller. Every backend sees exactly these batches.
 *
 * <p>Steps must be asked for in order, 0, 1, 2, …: the permutations are drawn as epochs begin.
 */
final class BatchOrder {
    /**
     * One batch.
     *
     * @param inputs {@code [b, ...sampleShape]}
     * @param labels b labels of the phase's target
     */
    record Batch(FloatTensor inputs, int[] labels) {
    }

    private final Dataset data;
    private final int[] labels;
    private final int batch;
    private final int stepsPerEpoch;
    private final Rng rng;
    private final int[] epochOrder;

    BatchOrder(Dataset data, Variable target, TrainingPlan.Phase phase, long batchesSeed) {
        this.data = data;
        this.labels = target.labels();
        this.batch = phase.spec().batch();
        this.stepsPerEpoch = phase.stepsPerEpoch();
        this.rng = new Rng(Seeds.derive(batchesSeed, "phase" + phase.index()));
        this.epochOrder = new int[data.trainIndices().length];
    }

    /** The batch of the phase's step {@code k} (0-based within the phase). */
    Batch batch(long k) {
        int[] train = data.trainIndices();
        int n = train.length;
        int inEpoch = (int) (k % stepsPerEpoch);
        if (inEpoch == 0) {
            int[] perm = rng.permutation(n);
            for (int i = 0; i < n; i++) {
                epochOrder[i] = train[perm[i]];
            }
        }
        int from = inEpoch * batch;
        int to = Math.min(from + batch, n);
        int[] y = new int[to - from];
        for (int i = from; i < to; i++) {
            y[i - from] = labels[epochOrder[i]];
        }
        return new Batch(data.inputs().gatherRows(epochOrder, from, to), y);
    }
}
