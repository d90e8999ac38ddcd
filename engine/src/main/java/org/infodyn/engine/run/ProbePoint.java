package org.infodyn.engine.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Variable;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.NetworkFacts;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.api.random.Seeds;

/**
 * One probe point's inputs: the frozen activations of every probed layer (and the logits) on the
 * decoders' fit samples and the held-out probe split, captured once, and cut into what each
 * (probe, layer, variable) series sees. The run loop and the benchmark both start from here.
 */
public final class ProbePoint {
    private final RunPlan plan;
    private final long step;
    private final ProbeInputs inputs;
    private final StepResult heldOut;
    private final Map<String, NetworkFacts> facts;
    private final Optional<DeviceAlgebra> algebra;

    private ProbePoint(RunPlan plan, long step, ProbeInputs inputs, StepResult heldOut, Map<String, NetworkFacts> facts,
            Optional<DeviceAlgebra> algebra) {
        this.plan = plan;
        this.step = step;
        this.inputs = inputs;
        this.heldOut = heldOut;
        this.facts = Map.copyOf(facts);
        this.algebra = algebra;
    }

    /**
     * Captures the activations of the plan's probed layers and of the output layer in inference
     * mode, and runs the probes' inspections of the network (if any).
     *
     * @param target the variable the network is training on at this step (scores the logits)
     * @param initial the parameters the run started from (for inspections)
     * @param algebra {@link RunPlan#deviceAlgebra()}, asked once per run, for the probes that asked for it
     */
    public static ProbePoint capture(RunPlan plan, Model model, long step, Variable target, Parameters initial,
            Optional<DeviceAlgebra> algebra) {
        Map<String, FloatTensor> acts = Activations.capture(model, plan.dataset().inputs(), rows(plan), layers(plan, model.spec()));
        Map<String, NetworkFacts> facts = Inspections.any(plan)
                ? Inspections.run(plan, Inspections.of(plan, model, initial), step) : Map.of();
        return of(plan, model.spec(), step, target, acts, facts, algebra);
    }

    /** The layers a point captures: the plan's probed layers, then the output (its logits score the held-out split). */
    static List<String> layers(RunPlan plan, ModelSpec spec) {
        Set<String> layers = new LinkedHashSet<>(plan.probedLayers());
        layers.add(spec.outputLayer().name());
        return List.copyOf(layers);
    }

    /** The samples a point captures: the decoders' fit samples, then the held-out probe split. */
    static int[] rows(RunPlan plan) {
        return ProbeInputs.rows(plan.fitIndices(), plan.dataset().probeIndices());
    }

    /**
     * A point from activations captured elsewhere (a replica group captures all its replicas at once).
     *
     * @param facts per probe label, what its inspection found (probes without one absent)
     * @param algebra {@link RunPlan#deviceAlgebra()}, asked once per run, for the probes that asked for it
     */
    static ProbePoint of(RunPlan plan, ModelSpec spec, long step, Variable target, Map<String, FloatTensor> acts,
            Map<String, NetworkFacts> facts, Optional<DeviceAlgebra> algebra) {
        int[] fit = plan.fitIndices();
        int[] held = plan.dataset().probeIndices();
        String output = spec.outputLayer().name();
        StepResult heldOut = StepResult.fromLogits(acts.get(output).data(), fit.length, target.labelsOf(held), spec.outputSize(output));
        return new ProbePoint(plan, step, new ProbeInputs(acts, fit, held), heldOut, facts, algebra);
    }

    /** The global step. */
    public long step() {
        return step;
    }

    /** Loss (nats) and accuracy of the network on the held-out probe split, for the target. */
    public StepResult heldOut() {
        return heldOut;
    }

    /**
     * The indices of {@code inputs}, costliest cold fit first ({@link SeriesInput#coldFitCost};
     * ties in their order): the order in which a run starts a point's fits on its workers.
     */
    public static List<Integer> byDescendingCost(List<SeriesInput> inputs) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> inputs.get(i).coldFitCost()).reversed());
        return order;
    }

    /**
     * What one series measures at this point.
     *
     * @param probe the probe block
     * @param layer the layer, or {@code layer@reduction} when the probe block reduces it
     * @param variable the variable's name; empty for a probe that measures no variable
     * @param classes the variable's class count (1 without a variable)
     * @param data the layer's activations with the variable's labels, the companions, the facts
     */
    public record SeriesInput(PlannedProbe probe, String layer, String variable, int classes, ProbeData data) {
        /**
         * A rough relative cost of a cold fit, to start the longest first on parallel workers
         * (longest processing time first): the fit's effective width squared (features, or fit
         * samples when there are more features: the fit then works in their span) times the
         * classes (a decoder's parameters and iterations grow with them).
         */
        public double coldFitCost() {
            double width = Math.min(data.fit().dimension(), data.fit().size());
            return width * width * classes;
        }

        /** Identifies the series across points. */
        public String key() {
            return probe.label() + "\u0000" + layer + "\u0000" + variable;
        }

        /** Opens the series, with its own seed derived from the run's. */
        public ProbeSeries open(RunPlan plan) {
            long seed = Seeds.derive(plan.derivedSeeds().get(Seeds.PROBES), probe.label() + "/" + layer + "/" + variable);
            return probe.configured().open(layer, variable, classes, seed);
        }
    }

    /** Every series' input, probe by probe, layer by layer, variable by variable. */
    public List<SeriesInput> series() {
        List<SeriesInput> out = new ArrayList<>();
        for (PlannedProbe p : plan.probes()) {
            int fitCount = Math.min(p.configured().fitSamples(), plan.fitIndices().length);
            NetworkFacts found = facts.getOrDefault(p.label(), NetworkFacts.EMPTY);
            Optional<DeviceAlgebra> algebra = p.configured().deviceAlgebraSetting().isPresent() ? this.algebra : Optional.empty();
            Map<String, FloatTensor> companions = new LinkedHashMap<>();
            for (String c : p.configured().companionLayers()) {
                companions.put(c, inputs.heldOut(c));
            }
            for (String layer : p.layers()) {
                if (!p.probe().readsActivations()) {
                    LabelledFeatures none = new LabelledFeatures(FloatTensor.matrix(0, 0, new float[0]), new int[0]);
                    out.add(new SeriesInput(p, layer, "", 1, new ProbeData(step, 1, none, none, companions, found, algebra)));
                    continue;
                }
                Reduction reduction = p.reductions().get(layer);
                String measured = reduction.measuredName(layer);
                if (!p.probe().measuresVariables()) {
                    out.add(new SeriesInput(p, measured, "", 1, with(inputs.dataWithoutVariable(step, layer, reduction, fitCount), companions, found, algebra)));
                    continue;
                }
                for (String name : p.variables()) {
                    Variable v = plan.dataset().variable(name).orElseThrow();
                    out.add(new SeriesInput(p, measured, v.name(), v.classes(),
                            with(inputs.data(step, layer, reduction, v, fitCount), companions, found, algebra)));
                }
            }
        }
        return out;
    }

    private static ProbeData with(ProbeData d, Map<String, FloatTensor> companions, NetworkFacts found,
            Optional<DeviceAlgebra> algebra) {
        return companions.isEmpty() && found.values().isEmpty() && algebra.isEmpty() ? d
                : new ProbeData(d.step(), d.classes(), d.fit(), d.heldOut(), companions, found, algebra);
    }
}
