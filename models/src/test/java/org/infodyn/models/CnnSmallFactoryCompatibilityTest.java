package org.infodyn.models;

import java.util.List;
import java.util.Map;

import org.infodyn.api.model.ModelFactory;
import org.infodyn.testkit.ModelFactoryCompatibilityKit;

/** The model factory kit on {@code CnnSmallFactory}, at a size the plain-Java reference trains in a moment. */
class CnnSmallFactoryCompatibilityTest extends ModelFactoryCompatibilityKit {
    @Override
    protected ModelFactory factory() {
        return new CnnSmallFactory();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("channels", List.of(4L, 8L), "dense", 16L, "batchNorm", true);
    }

    @Override
    protected int[] inputShape() {
        return new int[] {1, 12, 12};
    }
}
