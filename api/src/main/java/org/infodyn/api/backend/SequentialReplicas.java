package org.infodyn.api.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;

/** {@link ReplicaGroup#sequential}: a list of models, each stepped on its own. */
final class SequentialReplicas implements ReplicaGroup {
    private final List<Model> models;
    private final ModelSpec spec;
    private boolean closed;

    SequentialReplicas(List<Model> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a replica group needs at least one model");
        }
        this.models = List.copyOf(models);
        this.spec = models.get(0).spec();
        for (Model m : models) {
            if (!m.spec().equals(spec)) {
                throw new IllegalArgumentException("replicas must share one architecture: " + spec.describe() + " vs " + m.spec().describe());
            }
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public int size() {
        return models.size();
    }

    @Override
    public List<StepResult> step(List<ReplicaBatch> batches) {
        ModelArguments.checkReplicaBatches(size(), batches.stream().map(ReplicaBatch::replica).toList(),
                batches.stream().map(b -> b.inputs().rows()).toList());
        List<StepResult> out = new ArrayList<>(batches.size());
        for (ReplicaBatch b : batches) {
            out.add(models.get(b.replica()).step(b.inputs(), b.labels(), b.sgd()));
        }
        return out;
    }

    @Override
    public void resetOptimizerState() {
        models.forEach(Model::resetOptimizerState);
    }

    @Override
    public List<Map<String, FloatTensor>> activations(List<ReplicaInputs> inputs, List<String> layers) {
        ModelArguments.checkReplicaBatches(size(), inputs.stream().map(ReplicaInputs::replica).toList(),
                inputs.stream().map(i -> i.inputs().rows()).toList());
        List<Map<String, FloatTensor>> out = new ArrayList<>(inputs.size());
        for (ReplicaInputs in : inputs) {
            out.add(models.get(in.replica()).activations(in.inputs(), layers));
        }
        return out;
    }

    @Override
    public Parameters gradient(int replica, FloatTensor inputs, int[] labels) {
        return models.get(replica).gradient(inputs, labels);
    }

    @Override
    public Parameters parameters(int replica) {
        return models.get(replica).parameters();
    }

    @Override
    public void setParameters(int replica, Parameters values) {
        models.get(replica).setParameters(values);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            models.forEach(Model::close);
        }
    }
}
