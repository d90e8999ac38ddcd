package org.example.infodyn.bottleneck;

import org.infodyn.api.model.ModelFactory;
import org.infodyn.testkit.ModelFactoryCompatibilityKit;

/** The model kit: a valid network for the task's inputs, one logit per class, trainable, registered. */
class BottleneckFactoryCompatibilityTest extends ModelFactoryCompatibilityKit {
    @Override
    protected ModelFactory factory() {
        return new BottleneckFactory();
    }
}
