package org.infodyn.tasks.tabular;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.ParamType;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Splits;
import org.infodyn.api.random.Seeds;
import org.infodyn.api.task.Task;
import org.infodyn.tasks.io.Standardize;

/**
 * {@code tabular}: your own table of samples, from a CSV file with a header, a NumPy {@code .npz}
 * archive or a folder of {@code .npy} files. One column (or array) is the training target, any
 * others may be declared as variables to probe, and the features are the columns named in
 * {@code features} (default: every remaining column).
 *
 * <p>Class labels are integers ≥ 0 (the value is the class) or text (the distinct values, sorted,
 * are the classes, unless {@code classes} declares them in an order of your choosing); the class
 * names go into each run's manifest. Features are standardised with the mean and standard
 * deviation of the <em>train</em> split (so nothing of the probe split leaks into training), unless
 * {@code standardize: false}. The probe split is the rows a {@code split} column marks
 * {@code probe}, or a seeded {@code probeFraction} of the rows.
 *
 * <p>Reading is strict: a ragged row, a missing or non-numeric feature, a missing column, an
 * undeclared class name, an unsupported dtype are errors naming the file and the line, element
 * or column. Large files stream: a CSV is read in two passes and its numbers held once, as
 * float32 (4 bytes per value).
 */
public final class TabularTask implements Task {
    private static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.required("data", ParamType.STRING, "a .csv file with a header, an .npz archive, or a folder of .npy files"),
            ParamSpec.required("target", ParamType.STRING, "the column (or array) the network trains on: class labels"),
            ParamSpec.stringList("variables", List.of(), "further label columns to probe (the target is always probed)"),
            ParamSpec.stringList("features", List.of(), "feature columns (or arrays), in order (default: every other column)"),
            ParamSpec.string("split", "", "a column of train|probe per row (arrays: also 0|1); empty = hold out probeFraction"),
            ParamSpec.decimal("probeFraction", 0.2, "share of rows held out as the probe split when there is no split column")
                    .greaterThan(0).atMost(0.9),
            ParamSpec.mappingList("classes", List.of(), "declared classes of text labels, in order: [{column: grade, names: [low, mid, high]}]"),
            ParamSpec.bool("standardize", true, "standardise each feature with the train split's mean and standard deviation"),
            ParamSpec.integerList("shape", List.of(), "per-sample shape of the features, e.g. [1, 28, 28] for image layers "
                    + "(default: a vector; a single NumPy array of images keeps its own)").atLeast(1),
            ParamSpec.choice("separator", ",", List.of(",", ";", "tab"), "the CSV field separator"));

    @Override
    public String id() {
        return "tabular";
    }

    @Override
    public String description() {
        return "your own table (CSV with a header, .npz, or a folder of .npy): a target column, other columns as probe variables";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMS;
    }

    @Override
    public Dataset create(Params params, long seed) {
        Path data = Path.of(params.getString("data"));
        Columns columns = columns(params);
        int[] shape = params.getLongList("shape").stream().mapToInt(Math::toIntExact).toArray();
        Table table = read(data, columns, shape, params.getString("separator"));
        int[][] split = split(table, params.getDouble("probeFraction"), seed, columns);
        if (params.getBoolean("standardize")) {
            Standardize.perChannel(table.features(), table.width(), 1, split[0]);
        }
        return new Dataset(id(), FloatTensor.batch(table.rows(), table.sampleShape(), table.features()), table.variables(),
                columns.target(), split[0], split[1]);
    }

    private static Table read(Path data, Columns columns, int[] shape, String separator) {
        String name = data.getFileName() == null ? "" : data.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(data)) {
            return NumpyTable.read(data, columns, shape);
        }
        if (!Files.isRegularFile(data)) {
            throw new ConfigException("task.data", "no such file or folder: " + data);
        }
        if (name.endsWith(".npz")) {
            return NumpyTable.read(data, columns, shape);
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            char sep = separator.equals("tab") ? '\t' : separator.charAt(0);
            return CsvTable.read(data, sep, columns, shape);
        }
        if (name.endsWith(".npy")) {
            throw new ConfigException("task.data", data + " is a single array, but a table needs features and labels: put the arrays "
                    + "in one folder (x.npy, y.npy, …) and give the folder, or save them with numpy.savez");
        }
        throw new ConfigException("task.data", "'" + data + "' is not a table infodyn reads; allowed: a .csv (or .tsv, .txt) file "
                + "with a header, an .npz archive, a folder of .npy files");
    }

    private static Columns columns(Params params) {
        Map<String, List<String>> declared = new LinkedHashMap<>();
        List<Map<String, Object>> classes = params.getMappingList("classes");
        List<ParamSpec> entry = List.of(ParamSpec.required("column", ParamType.STRING, "the label column"),
                ParamSpec.required("names", ParamType.STRING_LIST, "its class names, in class order"));
        for (int i = 0; i < classes.size(); i++) {
            Params c = Params.bind("task.classes[" + i + "]", classes.get(i), entry);
            List<String> names = c.getStringList("names");
            c.require(names.size() >= 2 && names.stream().distinct().count() == names.size(), "names",
                    "needs at least two distinct class names, got " + names);
            if (declared.put(c.getString("column"), names) != null) {
                throw new ConfigException("task.classes[" + i + "].column", "'" + c.getString("column") + "' is declared twice");
            }
        }
        String split = params.getString("split");
        return new Columns(params.getString("target"), params.getStringList("variables"), params.getStringList("features"),
                split.isEmpty() ? Optional.empty() : Optional.of(split), declared);
    }

    private static int[][] split(Table table, double fraction, long seed, Columns columns) {
        if (table.probeRows() == null) {
            if (table.rows() < 2) {
                throw new ConfigException("task.data", "a table of " + table.rows() + " row cannot be split into train and probe rows");
            }
            return Splits.holdOut(table.rows(), fraction, Seeds.rng(seed, "split"));
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> probe = new ArrayList<>();
        for (int i = 0; i < table.rows(); i++) {
            (table.probeRows()[i] ? probe : train).add(i);
        }
        if (train.isEmpty() || probe.isEmpty()) {
            throw new ConfigException("task.split", "column '" + columns.split().orElseThrow() + "' marks no row '"
                    + (train.isEmpty() ? "train" : "probe") + "'; both splits need rows");
        }
        return new int[][] {train.stream().mapToInt(Integer::intValue).toArray(), probe.stream().mapToInt(Integer::intValue).toArray()};
    }

    /** The per-sample shape: the declared one (checked against the feature count) or a vector. */
    static int[] sampleShape(int[] declared, int width) {
        if (declared.length == 0) {
            return new int[] {width};
        }
        long product = 1;
        for (int d : declared) {
            product *= d;
        }
        if (product != width) {
            throw new ConfigException("task.shape", Arrays.toString(declared) + " holds " + product + " values per sample, but the data "
                    + "has " + width + " features");
        }
        return declared.clone();
    }
}
