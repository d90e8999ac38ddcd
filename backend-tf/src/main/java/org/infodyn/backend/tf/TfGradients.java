package org.infodyn.backend.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The gradients of a loss with respect to a network's trainable variables, and an {@link Ops}
 * whose updates run only after every gradient exists (a variable must not change while another
 * gradient still reads it). Shared by the single model and the replica group.
 *
 * @param trainable the trainable variables, in the spec's parameter order
 * @param gradients one per trainable variable, same order
 * @param afterGradients ops built with it wait for every gradient
 */
record TfGradients(List<Variable<TFloat32>> trainable, List<Operand<TFloat32>> gradients, Ops afterGradients) {

    static TfGradients of(Ops tf, Operand<TFloat32> loss, ModelSpec spec, Map<String, Variable<TFloat32>> params) {
        List<Variable<TFloat32>> trainable = new ArrayList<>();
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable()) {
                trainable.add(params.get(p.name()));
            }
        }
        var grads = tf.gradients(loss, trainable);
        List<Op> ready = new ArrayList<>();
        List<Operand<TFloat32>> g = new ArrayList<>();
        for (var out : grads.dy()) {
            var id = tf.identity(out.expect(TFloat32.class));
            ready.add(id);
            g.add(id);
        }
        return new TfGradients(trainable, g, tf.withControlDependencies(ready));
    }
}
