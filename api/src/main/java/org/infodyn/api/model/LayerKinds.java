package org.infodyn.api.model;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** Holds {@link LayerSpec#kinds()}: one entry per layer of the sealed family, or one per function of a layer with several. */
final class LayerKinds {
    static final Set<String> ALL = all();

    private LayerKinds() {
    }

    private static Set<String> all() {
        Set<String> kinds = new TreeSet<>(Set.of(Dense.KIND, Flatten.KIND, Conv2d.KIND, GlobalAvgPool.KIND, BatchNorm.KIND,
                Residual.KIND));
        for (Activation.Function f : Activation.Function.values()) {
            kinds.add(f.id());
        }
        for (Pool2d.Function f : Pool2d.Function.values()) {
            kinds.add(f.kind());
        }
        return Collections.unmodifiableSet(kinds);
    }
}
