package org.infodyn.engine.run;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.infodyn.api.backend.Model;
import org.infodyn.api.backend.StepResult;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Variable;
import org.infodyn.api.model.ModelSpec;
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

    private ProbePoint(RunPlan plan, long step, ProbeInputs inputs, StepResult heldOut) {
        this.plan = plan;
        this.step = step;
        this.inputs = inputs;
        this.heldOut = heldOut;
    }

    /**
     * Captures the activations of the plan's probed layers and of the output layer in inference
     * mode.
     *
     * @param target the variable the network is training on at this step (scores the logits)
     */
    public static ProbePoint capture(RunPlan plan, Model model, long step, Variable target) {
        return of(plan, model.spec(), step, target,
                Activations.capture(model, plan.dataset().inputs(), rows(plan), layers(plan, model.spec())));
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

    /** A point from activations captured elsewhere (a replica group captures all its replicas at once). */
    static ProbePoint of(RunPlan plan, ModelSpec spec, long step, Variable target, Map<String, FloatTensor> acts) {
        int[] fit = plan.fitIndices();
        int[] held = plan.dataset().probeIndices();
        String output = spec.outputLayer().name();
        StepResult heldOut = StepResult.fromLogits(acts.get(output).data(), fit.length, target.labelsOf(held), spec.outputSize(output));
        return new ProbePoint(plan, step, new ProbeInputs(acts, fit, held), heldOut);
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
     * What one series measures at this point.
     *
     * @param probe the probe block
     * @param layer the layer, or {@code layer@reduction} when the probe block reduces it
     * @param variable the variable
     * @param data the layer's activations with the variable's labels
     */
    public record SeriesInput(PlannedProbe probe, String layer, Variable variable, ProbeData data) {
        /** Identifies the series across points. */
        public String key() {
            return probe.label() + "\u0000" + layer + "\u0000" + variable.name();
        }

        /** Opens the series, with its own seed derived from the run's. */
        public ProbeSeries open(RunPlan plan) {
            long seed = Seeds.derive(plan.derivedSeeds().get(Seeds.PROBES), probe.label() + "/" + layer + "/" + variable.name());
            return probe.configured().open(layer, variable.name(), variable.classes(), seed);
        }
    }

    /** Every series' input, probe by probe, layer by layer, variable by variable. */
    public List<SeriesInput> series() {
        List<SeriesInput> out = new ArrayList<>();
        for (PlannedProbe p : plan.probes()) {
            int fitCount = Math.min(p.configured().fitSamples(), plan.fitIndices().length);
            for (String layer : p.layers()) {
                Reduction reduction = p.reductions().get(layer);
                for (String name : p.variables()) {
                    Variable v = plan.dataset().variable(name).orElseThrow();
                    out.add(new SeriesInput(p, reduction.measuredName(layer), v, inputs.data(step, layer, reduction, v, fitCount)));
                }
            }
        }
        return out;
    }
}
