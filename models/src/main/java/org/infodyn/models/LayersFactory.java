package org.infodyn.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.ParamType;
import org.infodyn.api.config.Params;
import org.infodyn.api.model.Activation;
import org.infodyn.api.model.BatchNorm;
import org.infodyn.api.model.Conv2d;
import org.infodyn.api.model.Dense;
import org.infodyn.api.model.Flatten;
import org.infodyn.api.model.GlobalAvgPool;
import org.infodyn.api.model.LayerSpec;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Pool2d;
import org.infodyn.api.model.Residual;

/**
 * {@code layers}: a network written in the experiment file as a list of the layer kinds every
 * backend builds, so that a researcher can probe their own architecture without writing Java.
 *
 * <pre>{@code
 * model:
 *   id: layers
 *   layers:
 *     - {kind: conv2d, name: conv1, filters: 16, kernel: 3, padding: 1}
 *     - {kind: relu, name: block1}
 *     - {kind: maxpool, kernel: 2}
 *     - {kind: flatten}
 *     - {kind: dense, name: hidden, units: 64}
 *     - {kind: relu, name: penultimate}
 * }</pre>
 *
 * <p>The output layer, {@code output} (dense, one logit per class of the training target), is
 * appended: the number of classes comes from the task, so one list serves every target. Each
 * entry is bound strictly like any plugin block, so a mistake is reported at its index and field
 * ({@code model.layers[3].kernel: must be ≥ 1, got 0}); a layer that does not fit the shape it
 * receives is reported at its index with that shape. A layer without a {@code name} gets one
 * from its kind and position among layers of that kind ({@code conv1}, {@code relu2}, …). Every
 * layer of the list is probe-able by its name (a residual block by the block's name: the layers
 * inside its branches are not probe points).
 */
public final class LayersFactory implements ModelFactory {

    /** The name of the appended output layer. */
    static final String OUTPUT = "output";

    private static final String KINDS_HELP = "each {kind, name, …}: dense units; conv2d filters kernel [stride 1] [padding 0]; "
            + "maxpool|avgpool kernel [stride = kernel]; batchnorm [epsilon 1e-5] [momentum 0.1]; residual body [shortcut] "
            + "(lists of layers, identity shortcut when empty); flatten; globalavgpool; relu; tanh. "
            + "The dense output layer (one logit per class) is appended";

    private static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.required("layers", ParamType.MAPPING_LIST, KINDS_HELP));

    /** The fields of each kind besides {@code kind} and {@code name}. */
    private static final Map<String, List<ParamSpec>> FIELDS = fields();

    /** Prefixes of generated names; a kind not listed uses itself. */
    private static final Map<String, String> NAME_PREFIX = Map.of(Conv2d.KIND, "conv", BatchNorm.KIND, "bn",
            GlobalAvgPool.KIND, "gap");

    private static Map<String, List<ParamSpec>> fields() {
        Map<String, List<ParamSpec>> f = new LinkedHashMap<>();
        f.put(Dense.KIND, List.of(ParamSpec.required("units", ParamType.INTEGER, "number of outputs").atLeast(1)));
        f.put(Conv2d.KIND, List.of(
                ParamSpec.required("filters", ParamType.INTEGER, "output channels").atLeast(1),
                ParamSpec.required("kernel", ParamType.INTEGER, "kernel size (square)").atLeast(1),
                ParamSpec.integer("stride", 1, "stride").atLeast(1),
                ParamSpec.integer("padding", 0, "zero padding on each side").atLeast(0)));
        for (Pool2d.Function fn : Pool2d.Function.values()) {
            f.put(fn.kind(), List.of(
                    ParamSpec.required("kernel", ParamType.INTEGER, "window size (square)").atLeast(1),
                    ParamSpec.integer("stride", 0, "stride (0 = the kernel size)").atLeast(0)));
        }
        f.put(BatchNorm.KIND, List.of(
                ParamSpec.decimal("epsilon", 1e-5, "added to the variance").greaterThan(0),
                ParamSpec.decimal("momentum", 0.1, "weight of the new batch in the running statistics").greaterThan(0).atMost(1)));
        f.put(Residual.KIND, List.of(
                ParamSpec.required("body", ParamType.MAPPING_LIST, "the main branch: a list of layers"),
                ParamSpec.mappingList("shortcut", List.of(), "the projection branch: a list of layers (empty = identity)")));
        f.put(Flatten.KIND, List.of());
        f.put(GlobalAvgPool.KIND, List.of());
        for (Activation.Function fn : Activation.Function.values()) {
            f.put(fn.id(), List.of());
        }
        return Map.copyOf(f);
    }

    /** The layer kinds a {@code layers} list may hold: every kind of the api's layer family. */
    static Set<String> kinds() {
        return FIELDS.keySet();
    }

    @Override
    public String id() {
        return "layers";
    }

    @Override
    public String description() {
        return "your own network, as a list of layers in the experiment; probe-able: every listed layer by its name, and output";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMS;
    }

    @Override
    public ModelSpec create(Params params, int[] inputShape, int outputClasses) {
        List<Map<String, Object>> entries = params.getMappingList("layers");
        String path = params.path().isEmpty() ? "layers" : params.path() + ".layers";
        Builder builder = new Builder();
        builder.reserveNames(path, entries);
        List<LayerSpec> layers = new ArrayList<>(builder.chain(path, entries, inputShape));
        int[] last = builder.shape;
        if (last.length != 1) {
            throw new ConfigException(path, "the last layer gives " + Arrays.toString(last) + ", but the appended output layer needs a "
                    + "vector: end the list with {kind: flatten} or {kind: globalavgpool}");
        }
        layers.add(new Dense(OUTPUT, outputClasses));
        return new ModelSpec(id(), inputShape, layers);
    }

    /** Turns entries into layers, tracking the shape so that a misfit is reported where it happens. */
    private static final class Builder {
        private final Set<String> taken = new HashSet<>(Set.of(OUTPUT));
        private final Map<String, Integer> counters = new HashMap<>();
        private int[] shape;

        /** Claims every name the user gave, so generated names never collide with them. */
        void reserveNames(String path, List<Map<String, Object>> entries) {
            for (int i = 0; i < entries.size(); i++) {
                String where = path + "[" + i + "]";
                Object name = entries.get(i).get("name");
                if (name != null) {
                    if (!(name instanceof String s) || !validName(s)) {
                        throw new ConfigException(where + ".name", "expected a name of letters, digits, '_' or '-', got "
                                + Params.describe(name));
                    }
                    if (!taken.add(s)) {
                        throw new ConfigException(where + ".name", "'" + s + "' is used twice"
                                + (s.equals(OUTPUT) ? " ('output' is the appended output layer)" : "") + "; layer names must be unique");
                    }
                }
                for (String branch : List.of("body", "shortcut")) {
                    if (entries.get(i).get(branch) instanceof List<?> nested) {
                        List<Map<String, Object>> maps = new ArrayList<>();
                        for (Object o : nested) {
                            maps.add(o instanceof Map<?, ?> m ? stringKeys(m) : Map.of());
                        }
                        reserveNames(where + "." + branch, maps);
                    }
                }
            }
        }

        List<LayerSpec> chain(String path, List<Map<String, Object>> entries, int[] input) {
            shape = input;
            List<LayerSpec> out = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                out.add(layer(path + "[" + i + "]", entries.get(i)));
            }
            return out;
        }

        private LayerSpec layer(String where, Map<String, Object> entry) {
            Object rawKind = entry.get("kind");
            if (rawKind == null) {
                throw new ConfigException(where + ".kind", "missing: which layer, one of " + ConfigException.list(kindsSorted()));
            }
            if (!(rawKind instanceof String kind) || !FIELDS.containsKey(kind)) {
                throw new ConfigException(where + ".kind", "unknown layer kind " + Params.describe(rawKind) + "; allowed: "
                        + ConfigException.list(kindsSorted()));
            }
            Map<String, Object> given = new LinkedHashMap<>(entry);
            given.remove("kind");
            String explicit = (String) given.remove("name");
            Params p = Params.bind(where, given, FIELDS.get(kind));
            String name = explicit != null ? explicit : generatedName(kind);
            LayerSpec layer = switch (kind) {
                case Dense.KIND -> new Dense(name, p.getInt("units"));
                case Conv2d.KIND -> new Conv2d(name, p.getInt("filters"), p.getInt("kernel"), p.getInt("stride"), p.getInt("padding"));
                case BatchNorm.KIND -> new BatchNorm(name, p.getDouble("epsilon"), p.getDouble("momentum"));
                case Flatten.KIND -> new Flatten(name);
                case GlobalAvgPool.KIND -> new GlobalAvgPool(name);
                case Residual.KIND -> residual(where, name, p);
                default -> other(kind, name, p);
            };
            if (!(layer instanceof Residual)) {
                shape = fit(where, layer, shape);
            }
            return layer;
        }

        private static LayerSpec other(String kind, String name, Params p) {
            for (Pool2d.Function fn : Pool2d.Function.values()) {
                if (fn.kind().equals(kind)) {
                    int kernel = p.getInt("kernel");
                    int stride = p.getInt("stride");
                    return new Pool2d(name, fn, kernel, stride == 0 ? kernel : stride);
                }
            }
            for (Activation.Function fn : Activation.Function.values()) {
                if (fn.id().equals(kind)) {
                    return new Activation(name, fn);
                }
            }
            throw new AssertionError("layer kind without a builder: " + kind);
        }

        private Residual residual(String where, String name, Params p) {
            int[] in = shape;
            List<LayerSpec> body = chain(where + ".body", p.getMappingList("body"), in);
            int[] bodyOut = shape;
            if (body.isEmpty()) {
                throw new ConfigException(where + ".body", "needs at least one layer");
            }
            List<LayerSpec> shortcut = chain(where + ".shortcut", p.getMappingList("shortcut"), in);
            int[] shortcutOut = shape;
            if (!Arrays.equals(bodyOut, shortcutOut)) {
                throw new ConfigException(where, "the body gives " + Arrays.toString(bodyOut) + " but the shortcut gives "
                        + Arrays.toString(shortcutOut) + (shortcut.isEmpty() ? " (identity: the block's input)" : "")
                        + "; the branches are added, so their shapes must match");
            }
            shape = bodyOut;
            return new Residual(name, body, shortcut);
        }

        private String generatedName(String kind) {
            String prefix = NAME_PREFIX.getOrDefault(kind, kind);
            String name;
            do {
                name = prefix + counters.merge(prefix, 1, Integer::sum);
            } while (!taken.add(name));
            return name;
        }

        private static int[] fit(String where, LayerSpec layer, int[] in) {
            try {
                return layer.outputShape(in);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where, e.getMessage() + " (its input is " + Arrays.toString(in) + ")");
            }
        }
    }

    private static List<String> kindsSorted() {
        return FIELDS.keySet().stream().sorted().toList();
    }

    private static boolean validName(String s) {
        return s.matches("[A-Za-z0-9_-]+");
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
