package org.infodyn.engine.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.ReplicaGroup;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.probe.LiveNetwork;
import org.infodyn.api.probe.NetworkFacts;
import org.infodyn.api.probe.NetworkInspection;
import org.infodyn.api.random.Seeds;

/**
 * Runs the probes' {@link NetworkInspection}s at a probe point, on the training thread while
 * training waits, and keeps what they found for the point's series.
 */
final class Inspections {
    private Inspections() {
    }

    /** Whether any probe of the plan inspects the network (so a point must pause for it). */
    static boolean any(RunPlan plan) {
        return plan.probes().stream().anyMatch(p -> p.configured().inspection().isPresent());
    }

    /**
     * Per probe label, what its inspection found at {@code step}; probes without one are absent.
     *
     * @param network the paused network of this run
     */
    static Map<String, NetworkFacts> run(RunPlan plan, LiveNetwork network, long step) {
        Map<String, NetworkFacts> out = new LinkedHashMap<>();
        for (PlannedProbe p : plan.probes()) {
            var inspection = p.configured().inspection();
            if (inspection.isPresent()) {
                long seed = Seeds.derive(plan.derivedSeeds().get(Seeds.PROBES), p.label() + "/inspect/" + step);
                out.put(p.label(), inspection.get().inspect(network, step, seed));
            }
        }
        return out;
    }

    /** A single model, paused. */
    static LiveNetwork of(RunPlan plan, Model model, Parameters initial) {
        return LiveNetwork.of(model, initial, plan.dataset().probeIndices().length, probeInputs(plan));
    }

    /** Replica {@code index} of a group, paused. */
    static LiveNetwork of(RunPlan plan, ReplicaGroup group, int index, Parameters initial) {
        return LiveNetwork.of(group, index, initial, plan.dataset().probeIndices().length, probeInputs(plan));
    }

    /** The inputs of some rows of the probe split (indices into it), gathered from the dataset. */
    private static Function<int[], FloatTensor> probeInputs(RunPlan plan) {
        int[] probe = plan.dataset().probeIndices();
        return rows -> {
            int[] samples = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                samples[i] = probe[rows[i]];
            }
            return plan.dataset().inputs().gatherRows(samples);
        };
    }
}
