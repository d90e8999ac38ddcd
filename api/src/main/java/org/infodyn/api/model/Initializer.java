package org.infodyn.api.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;

/**
 * The api's framework-independent initialiser: the same seed gives the same initial parameters
 * on every backend, which is what makes cross-framework comparison possible.
 *
 * <p>Rule (equal in distribution to PyTorch's defaults for {@code nn.Linear}, {@code nn.Conv2d} and
 * {@code nn.BatchNorm2d}): batch-norm scales and running variances are 1, shifts and running means
 * 0; every value of any other parameter with fan-in {@code f} is drawn uniformly from
 * {@code [-1/√f, 1/√f)}, as {@code (float) (bound · (2u − 1))} with {@code u = rng.nextDouble()};
 * values are drawn in canonical row-major order from a generator seeded with
 * {@code Seeds.derive(initSeed, parameterName)}. So one parameter's values do not depend on
 * any other parameter, and re-initialising one layer is reproducible on its own.
 */
public final class Initializer {
    private Initializer() {
    }

    /** Initial values for every parameter of {@code spec}. */
    public static Parameters initialize(ModelSpec spec, long initSeed) {
        Map<String, FloatTensor> values = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            values.put(p.name(), draw(p, initSeed));
        }
        return new Parameters(values);
    }

    /**
     * {@code current} with the parameters of {@code layer} drawn afresh from {@code initSeed}
     * (the rest unchanged): the "fresh head" of a warm-start phase.
     */
    public static Parameters reinitializeLayer(ModelSpec spec, Parameters current, String layer, long initSeed) {
        Parameters out = current;
        for (ParameterSpec p : spec.parametersOf(layer)) {
            out = out.with(p.name(), draw(p, initSeed));
        }
        return out;
    }

    /** The values of one parameter. */
    public static FloatTensor draw(ParameterSpec p, long initSeed) {
        if (p.init() != ParameterSpec.Init.UNIFORM_FAN_IN) {
            float[] v = new float[p.size()];
            Arrays.fill(v, p.init() == ParameterSpec.Init.ONES ? 1f : 0f);
            return new FloatTensor(p.shape(), v);
        }
        Rng rng = new Rng(Seeds.derive(initSeed, p.name()));
        double bound = 1.0 / Math.sqrt(Math.max(1, p.fanIn()));
        float[] v = new float[p.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (bound * (2.0 * rng.nextDouble() - 1.0));
        }
        return new FloatTensor(p.shape(), v);
    }
}
