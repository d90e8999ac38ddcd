package org.infodyn.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.infodyn.api.config.Params;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.engine.plugin.Registry;
import org.junit.jupiter.api.Test;

/** How many samples one forward pass of an activation capture takes, per model. */
class ActivationsChunkTest {
    private static ModelSpec model(String id, int... inputShape) {
        ModelFactory f = Registry.load().models().get(id);
        return f.create(Params.defaults("model", f.parameters()), inputShape, 10);
    }

    @Test
    void chunksKeepTheLargestLayerOutputWithinTheBoundAndTheLimits() {
        ModelSpec mlp = model("mlp", 20);
        assertThat(Activations.chunk(mlp, 1)).as("small layers: the most").isEqualTo(Activations.MAX_CHUNK);
        ModelSpec cnn = model("cnn-small", 1, 28, 28); // conv1: 32×28×28 floats, 100,352 bytes per image
        int chunk = Activations.chunk(cnn, 1);
        assertThat(chunk).isEqualTo((int) (Activations.CHUNK_BYTES / (32 * 28 * 28 * Float.BYTES)));
        assertThat((long) chunk * 32 * 28 * 28 * Float.BYTES).isLessThanOrEqualTo(Activations.CHUNK_BYTES);
        assertThat(Activations.chunk(cnn, 4)).as("four replicas side by side").isEqualTo(chunk / 4);
        assertThat(Activations.chunk(cnn, 1000)).as("never below the floor").isEqualTo(Activations.MIN_CHUNK);
    }
}
