package org.infodyn.backend.dl4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.ParameterSpec;
import org.infodyn.api.model.Parameters;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The conversion between infodyn's canonical parameters and DL4J's, which turns out to be none:
 * DL4J keeps all parameters in one flat vector, layer by layer (the layers nested in a residual
 * block in order, body then shortcut), and each layer's slice holds that layer's canonical
 * parameters in canonical order and layout:
 * <ul>
 *   <li>a dense layer stores its weight then its bias, the weight {@code W[in, out]} in
 *       column-major ('f') order, so that {@code W[i, o]} sits at {@code o·in + i}, exactly where
 *       the canonical row-major {@code weight[out, in]} puts element {@code [o, i]};
 *   <li>the backend's own layers (convolution, batch norm) store their parameters in canonical
 *       shape, row-major, in canonical order ({@link CanonicalParameters}), batch-norm running
 *       statistics included.
 * </ul>
 * The canonical parameters concatenated in the spec's order are therefore DL4J's flat parameter
 * vector, byte for byte, and so are the gradients in DL4J's flat gradient vector.
 *
 * <p>That rests on DL4J internals, so {@link #verify} checks it for every network built (offset,
 * shape and order of each parameter view) and refuses to run rather than mix up weights.
 */
final class ParameterLayout {
    private ParameterLayout() {
    }

    /**
     * Checks that each canonical parameter sits where this class says in DL4J's flat vector.
     *
     * @throws IllegalStateException when DL4J lays parameters out differently
     */
    static void verify(ModelSpec spec, MultiLayerNetwork net) {
        Map<String, Layer> layers = NetworkPlan.layersByName(net);
        long base = net.numParams() == 0 ? 0 : net.params().offset();
        long offset = 0;
        for (ParameterSpec p : spec.parameters()) {
            Layer layer = layers.get(p.layer());
            boolean dense = layer instanceof LinearDenseLayer;
            String suffix = p.name().substring(p.layer().length() + 1);
            boolean weight = suffix.equals("weight");
            INDArray view = layer == null ? null : layer.getParam(dense ? (weight ? "W" : "b") : suffix);
            int[] s = p.shape();
            long[] expectedShape = dense && weight ? new long[] {s[1], s[0]} : Arrays.stream(s).asLongStream().toArray();
            char expectedOrder = dense && weight ? 'f' : 'c';
            boolean fits = view != null && view.offset() - base == offset && Arrays.equals(view.shape(), expectedShape)
                    && (s.length < 2 || view.ordering() == expectedOrder) && sameMemory(view, net.params());
            if (!fits) {
                throw new IllegalStateException("DL4J stores parameter " + p.name() + " differently than the dl4j backend "
                        + "assumes (expected offset " + offset + ", shape " + Arrays.toString(expectedShape) + ", order "
                        + expectedOrder + "; got " + (view == null ? "no parameter" : "offset " + (view.offset() - base) + ", shape "
                                + Arrays.toString(view.shape()) + ", order " + view.ordering()) + ")");
            }
            offset += p.size();
        }
        if (offset != net.numParams()) {
            throw new IllegalStateException("DL4J's network has " + net.numParams() + " parameters, the spec " + offset);
        }
    }

    /** Whether a parameter view is a window on the network's flat vector, not a copy of it. */
    private static boolean sameMemory(INDArray view, INDArray flat) {
        // A view may wrap the flat buffer in a DataBuffer object of its own: compare native addresses
        // (offsets are checked separately).
        return view.data().address() == flat.data().address();
    }

    /** The canonical parameters as DL4J's flat vector. */
    static float[] flatten(ModelSpec spec, Parameters values) {
        float[] flat = new float[Math.toIntExact(values.size())];
        int at = 0;
        for (ParameterSpec p : spec.parameters()) {
            float[] v = values.get(p.name()).data();
            System.arraycopy(v, 0, flat, at, v.length);
            at += v.length;
        }
        return flat;
    }

    /** DL4J's flat vector as canonical parameters. */
    static Parameters unflatten(ModelSpec spec, float[] flat) {
        Map<String, FloatTensor> values = new LinkedHashMap<>();
        int at = 0;
        for (ParameterSpec p : spec.parameters()) {
            values.put(p.name(), new FloatTensor(p.shape(), Arrays.copyOfRange(flat, at, at + p.size())));
            at += p.size();
        }
        return new Parameters(values);
    }
}
