package org.infodyn.models;

import java.util.Map;

import org.infodyn.api.model.ModelFactory;
import org.infodyn.testkit.ModelFactoryCompatibilityKit;

/** The model factory kit on {@code ResNet18CifarFactory}, at a size the plain-Java reference trains in a moment. */
class ResNet18CifarFactoryCompatibilityTest extends ModelFactoryCompatibilityKit {
    @Override
    protected ModelFactory factory() {
        return new ResNet18CifarFactory();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("width", 2L);
    }

    @Override
    protected int[] inputShape() {
        return new int[] {3, 8, 8};
    }
}
