package org.infodyn.engine.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.infodyn.engine.experiment.Experiment;
import org.infodyn.engine.experiment.PhaseSpec;
import org.infodyn.engine.plugin.Registry;

/**
 * Which runs may train together as one replica group (DESIGN §7), and how runs are split into
 * groups. Replicas share one network shape and one step plan; they may differ in seed (so in data,
 * initial parameters, batch order and probe samples), learning rate, momentum and weight decay.
 */
public final class ReplicaGroups {
    /**
     * The default largest group: 1, so runs train on their own unless asked. Measured on the 2-core
     * development machine (README, "Replica groups"): a batched group's step costs about as much
     * per replica as a single model's on TensorFlow and 1.5–3× less on DJL, and the main job is
     * bound by its probe fits, so 8 seeds took as long with groups as without. Until a machine where
     * groups pay off is measured, they are opt-in ({@code --replicas N}).
     */
    public static final int DEFAULT_MAX = 1;

    private ReplicaGroups() {
    }

    /**
     * What must be equal for two experiments' runs to share a group, before any data is made: the
     * experiment without its name, description, seeds, overrides and the phases' SGD settings,
     * plus the backend. Runs with equal keys are grouped; their plans are then checked once more
     * ({@link #incompatibility}), since a task may make splits of different sizes for different seeds.
     */
    public record Key(Object task, Object model, List<Object> phases, double divergence, Object probes, Object schedule, String device,
            int threads, String backend) {

        /** The key of a run of {@code e} on {@code backend}. */
        public static Key of(Experiment e, Registry.BackendChoice backend) {
            List<Object> phases = new ArrayList<>();
            for (PhaseSpec p : e.phases()) {
                phases.add(List.of(p.epochs(), p.steps(), p.batch(), p.target(), p.freshHead()));
            }
            return new Key(e.task(), e.model(), phases, e.divergence(), e.probes(), e.schedule(), e.device(), e.threads(),
                    backend.backend().id());
        }
    }

    /**
     * Splits items into groups of equal {@link Key}, in first-seen order, each of at most
     * {@code max} items (a larger set of equal keys becomes several groups of nearly equal size).
     */
    public static <T> List<List<T>> split(List<T> items, Function<T, Key> key, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be ≥ 1, got " + max);
        }
        Map<Key, List<T>> byKey = new LinkedHashMap<>();
        for (T item : items) {
            byKey.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item);
        }
        List<List<T>> out = new ArrayList<>();
        for (List<T> same : byKey.values()) {
            int groups = (same.size() + max - 1) / max;
            for (int g = 0; g < groups; g++) {
                out.add(List.copyOf(same.subList(g * same.size() / groups, (g + 1) * same.size() / groups)));
            }
        }
        return out;
    }

    /** Why these plans cannot train as one group, if they cannot. */
    public static Optional<String> incompatibility(List<RunPlan> plans) {
        if (plans.isEmpty()) {
            return Optional.of("no runs");
        }
        RunPlan a = plans.get(0);
        if (plans.size() > 1 && plans.stream().anyMatch(RunPlan::needsGradients)) {
            return Optional.of(a.runId() + ": a probe inspects gradients, which only a single model computes");
        }
        for (RunPlan b : plans.subList(1, plans.size())) {
            String why = null;
            if (!a.backend().backend().id().equals(b.backend().backend().id()) || !a.buildOptions().equals(b.buildOptions())) {
                why = "backend or device";
            } else if (!a.model().equals(b.model()) || !a.modelParams().equals(b.modelParams())) {
                why = "model";
            } else if (!samePhases(a.training(), b.training()) || !a.phaseTargets().equals(b.phaseTargets())) {
                why = "training phases";
            } else if (!a.probeSteps().equals(b.probeSteps())) {
                why = "probe steps";
            } else if (!a.probedLayers().equals(b.probedLayers()) || a.fitIndices().length != b.fitIndices().length
                    || a.dataset().probeIndices().length != b.dataset().probeIndices().length) {
                why = "probed layers or probe samples";
            }
            if (why != null) {
                return Optional.of(a.runId() + " and " + b.runId() + " differ in their " + why);
            }
        }
        return Optional.empty();
    }

    /** @throws IllegalArgumentException when the plans cannot train as one group */
    static void requireCompatible(List<RunPlan> plans) {
        incompatibility(plans).ifPresent(why -> {
            throw new IllegalArgumentException("these runs cannot share a replica group: " + why);
        });
    }

    private static boolean samePhases(TrainingPlan a, TrainingPlan b) {
        if (a.phases().size() != b.phases().size()) {
            return false;
        }
        for (int i = 0; i < a.phases().size(); i++) {
            TrainingPlan.Phase p = a.phases().get(i);
            TrainingPlan.Phase q = b.phases().get(i);
            if (p.steps() != q.steps() || p.stepsPerEpoch() != q.stepsPerEpoch() || p.spec().batch() != q.spec().batch()
                    || p.spec().freshHead() != q.spec().freshHead() || !Objects.equals(p.spec().target(), q.spec().target())) {
                return false;
            }
        }
        return true;
    }
}
