package org.infodyn.api.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A residual block: {@code y = body(x) + shortcut(x)}, where an empty shortcut is the identity.
 * The two branches must produce the same shape. The nonlinearity after the sum, if any, is a
 * separate layer. The block's output is probe-able by its name; the nested layers' names must be
 * unique in the whole model (their parameters are named after them).
 *
 * @param name unique layer name
 * @param body the main branch, at least one layer
 * @param shortcut the projection branch (e.g. a strided 1×1 convolution and batch norm), or empty
 */
public record Residual(String name, List<LayerSpec> body, List<LayerSpec> shortcut) implements LayerSpec {
    /** The layer kind, as {@code infodyn backends} lists it. */
    public static final String KIND = "residual";


    public Residual {
        body = List.copyOf(body);
        shortcut = List.copyOf(shortcut);
        if (body.isEmpty()) {
            throw new IllegalArgumentException("residual " + name + " needs at least one layer in its body");
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int[] outputShape(int[] in) {
        int[] b = LayerSpec.chainShape(body, in);
        int[] s = LayerSpec.chainShape(shortcut, in);
        if (!Arrays.equals(b, s)) {
            throw new IllegalArgumentException("residual " + name + ": the body gives " + Arrays.toString(b) + " but the shortcut gives "
                    + Arrays.toString(s) + (shortcut.isEmpty() ? " (identity)" : ""));
        }
        return b;
    }

    @Override
    public List<ParameterSpec> parameters(int[] in) {
        List<ParameterSpec> out = new ArrayList<>(LayerSpec.chainParameters(body, in));
        out.addAll(LayerSpec.chainParameters(shortcut, in));
        return out;
    }

    @Override
    public List<LayerSpec> nested() {
        List<LayerSpec> all = new ArrayList<>(body);
        all.addAll(shortcut);
        return all;
    }
}
