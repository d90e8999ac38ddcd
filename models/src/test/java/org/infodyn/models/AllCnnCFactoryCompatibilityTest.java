package org.infodyn.models;

import java.util.Map;

import org.infodyn.api.model.ModelFactory;
import org.infodyn.testkit.ModelFactoryCompatibilityKit;

/** The model factory kit on {@code AllCnnCFactory}, at a size the plain-Java reference trains in a moment. */
class AllCnnCFactoryCompatibilityTest extends ModelFactoryCompatibilityKit {
    @Override
    protected ModelFactory factory() {
        return new AllCnnCFactory();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("width", 0.05);
    }

    @Override
    protected int[] inputShape() {
        return new int[] {3, 16, 16};
    }
}
