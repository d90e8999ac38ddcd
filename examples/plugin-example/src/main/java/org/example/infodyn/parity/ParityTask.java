package org.example.infodyn.parity;

import java.util.List;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Splits;
import org.infodyn.api.data.Variable;
import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;
import org.infodyn.api.task.Task;

/**
 * {@code parity}: each sample is {@code bits} random ±1 inputs; the target is the parity of the
 * first {@code order} of them. Variables: {@code parity} (the target), {@code first} (the first
 * input's sign: irrelevant once order ≥ 2, since parity is independent of any single bit) and
 * {@code majority} (whether most inputs are +1).
 */
public final class ParityTask implements Task {
    private static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.integer("samples", 4000, "number of samples (train + probe)").atLeast(10),
            ParamSpec.integer("bits", 8, "inputs per sample").atLeast(2).atMost(64),
            ParamSpec.integer("order", 2, "parity of the first ORDER inputs is the target").atLeast(1),
            ParamSpec.decimal("probeFraction", 0.2, "fraction held out as the probe split").atLeast(0.01).atMost(0.9));

    @Override
    public String id() {
        return "parity";
    }

    @Override
    public String description() {
        return "parity of the first k of n random ±1 inputs (example plugin); variables parity, first, majority";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMS;
    }

    @Override
    public Dataset create(Params params, long seed) {
        int n = params.getInt("samples");
        int bits = params.getInt("bits");
        int order = params.getInt("order");
        params.require(order <= bits, "order", "must be ≤ bits (" + bits + "), got " + order);
        Rng rng = new Rng(seed);
        float[] x = new float[n * bits];
        int[] parity = new int[n];
        int[] first = new int[n];
        int[] majority = new int[n];
        for (int i = 0; i < n; i++) {
            int ones = 0;
            int p = 0;
            for (int j = 0; j < bits; j++) {
                boolean plus = rng.nextBoolean(0.5);
                x[i * bits + j] = plus ? 1f : -1f;
                ones += plus ? 1 : 0;
                if (j < order && plus) {
                    p ^= 1;
                }
            }
            parity[i] = p;
            first[i] = x[i * bits] > 0 ? 1 : 0;
            majority[i] = 2 * ones > bits ? 1 : 0;
        }
        int[][] split = Splits.holdOut(n, params.getDouble("probeFraction"), Seeds.rng(seed, "split"));
        return new Dataset(id(), FloatTensor.batch(n, new int[] {bits}, x), List.of(
                new Variable("parity", 2, parity, List.of("even", "odd"), "parity of the first inputs (the target)"),
                new Variable("first", 2, first, List.of("minus", "plus"), "sign of the first input"),
                new Variable("majority", 2, majority, List.of("no", "yes"), "whether most inputs are +1")),
                "parity", split[0], split[1]);
    }
}
