package org.infodyn.models;

import java.util.Map;

import org.infodyn.api.model.ModelFactory;
import org.infodyn.testkit.ModelFactoryCompatibilityKit;

/** The model factory kit on {@code MlpFactory}, at a size the plain-Java reference trains in a moment. */
class MlpFactoryCompatibilityTest extends ModelFactoryCompatibilityKit {
    @Override
    protected ModelFactory factory() {
        return new MlpFactory();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    protected int[] inputShape() {
        return new int[] {12};
    }
}
