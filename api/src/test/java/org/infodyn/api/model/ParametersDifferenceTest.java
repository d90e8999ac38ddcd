package org.infodyn.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.junit.jupiter.api.Test;

/** The two measures of how far two parameter sets are apart. */
class ParametersDifferenceTest {
    private static Parameters of(float[] w, float[] b) {
        Map<String, FloatTensor> m = new LinkedHashMap<>();
        m.put("w", FloatTensor.matrix(1, w.length, w));
        m.put("b", FloatTensor.matrix(1, b.length, b));
        return new Parameters(m);
    }

    @Test
    void oneDriftingElementRulesTheElementWiseMeasureButNotThePerTensorOne() {
        float[] w = new float[100];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5f * (i % 7 - 3);
        }
        float[] drifted = w.clone();
        drifted[0] = w[0] * 1.02f; // one unit 2 % off, as a ReLU kink lets happen over a long run
        Parameters a = of(w, new float[] {1, 2});
        Parameters b = of(drifted, new float[] {1, 2});
        double elementWise = a.maxRelativeDifference(b, 1e-2);
        assertThat(elementWise).isCloseTo(0.02 / 1.02, within(1e-6));
        double diff = (double) drifted[0] - w[0];
        double normB = 0;
        for (float v : drifted) {
            normB += (double) v * v;
        }
        assertThat(a.maxRelativeNormDifference(b)).isCloseTo(Math.abs(diff) / Math.sqrt(normB), within(1e-12))
                .isLessThan(elementWise / 5);
    }

    @Test
    void aWholeTensorOffIsSeenAndIdenticalOrZeroTensorsAreNot() {
        Parameters a = of(new float[] {1, -2, 3}, new float[] {0, 0});
        Parameters same = of(new float[] {1, -2, 3}, new float[] {0, 0});
        assertThat(a.maxRelativeNormDifference(same)).isZero();
        Parameters scaled = of(new float[] {1.02f, -2.04f, 3.06f}, new float[] {0, 0});
        assertThat(a.maxRelativeNormDifference(scaled)).isCloseTo(0.02 / 1.02, within(1e-6));
        Parameters biasMoved = of(new float[] {1, -2, 3}, new float[] {0, 1e-3f});
        assertThat(a.maxRelativeNormDifference(biasMoved)).as("a tensor that was zero now is not").isEqualTo(1.0);
    }
}
