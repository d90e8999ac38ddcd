package org.infodyn.testkit;

import java.util.*;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.*;
import org.junit.jupiter.api.Test;

class TmpResGradTest {
    @Test
    void check() {
        ModelSpec spec = new ModelSpec("cc", new int[] {3, 6, 6}, List.of(new Conv2d("c1", 4, 3, 1, 1),
                new Activation("r1", Activation.Function.RELU), new Conv2d("c2", 4, 3, 1, 1), new GlobalAvgPool("gap"), new Dense("output", 3)));
        Parameters p = Initializer.initialize(spec, 17);
        org.infodyn.api.random.Rng rng = new org.infodyn.api.random.Rng(3);
        float[] x = new float[8 * 108];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        FloatTensor xs = FloatTensor.batch(8, new int[] {3, 6, 6}, x);
        int[] ys = {0, 1, 2, 0, 1, 2, 0, 1};
        Map<String, double[]> g = new HashMap<>();
        new ReferenceModel(spec, p).gradients(xs, ys, g);
        for (String name : List.of("c1.weight", "c1.bias")) {
            for (int j = 0; j < 3; j++) {
                float v = p.get(name).data()[j];
                double h = 1e-4;
                double up = loss(spec, p, name, j, v + h, xs, ys), down = loss(spec, p, name, j, v - h, xs, ys);
                double num = (up - down) / ((double) (float) (v + h) - (double) (float) (v - h));
                System.err.printf("%s[%d] analytic %.6g numeric %.6g%n", name, j, g.get(name)[j], num);
            }
        }
    }
    static double loss(ModelSpec spec, Parameters p, String name, int j, double val, FloatTensor xs, int[] ys) {
        float[] d = p.get(name).data(); d[j] = (float) val;
        return new ReferenceModel(spec, p.with(name, new FloatTensor(p.get(name).shape(), d))).gradients(xs, ys, new HashMap<>());
    }
}
