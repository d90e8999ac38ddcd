package org.infodyn.tasks.tabular;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.data.Variable;
import org.infodyn.tasks.io.ClassCoding;
import org.infodyn.tasks.io.CsvRows;
import org.infodyn.tasks.io.Heap;

/**
 * Reads a CSV table in two streaming passes: the first checks every row and learns the size and
 * the classes of the label columns, the second fills arrays of exactly the right size. So the
 * heap holds the numbers once (4 bytes per feature value, 4 per label) and never the text.
 */
final class CsvTable {
    private static final String FIELD = "task.data";

    private CsvTable() {
    }

    static Table read(Path file, char separator, Columns columns, int[] shape) {
        List<String> header;
        int[] featureAt;
        int[] labelAt;
        int splitAt;
        List<ClassCoding> codings = new ArrayList<>();
        long rows;
        try (CsvRows csv = CsvRows.open(FIELD, file, separator)) {
            header = csv.header();
            List<String> features = columns.resolveFeatures(file.toString(), header);
            featureAt = features.stream().mapToInt(header::indexOf).toArray();
            List<String> labels = columns.labels();
            labelAt = labels.stream().mapToInt(header::indexOf).toArray();
            for (String l : labels) {
                codings.add(new ClassCoding(FIELD, l, columns.declaredClasses().getOrDefault(l, List.of())));
            }
            splitAt = columns.split().map(header::indexOf).orElse(-1);
            List<String> row;
            while ((row = csv.next(FIELD)) != null) {
                String where = file + " line " + csv.line();
                for (int c : featureAt) {
                    number(row.get(c), where, header.get(c));
                }
                for (int k = 0; k < labelAt.length; k++) {
                    codings.get(k).observe(row.get(labelAt[k]), where);
                }
                if (splitAt >= 0) {
                    isProbe(row.get(splitAt), where, header.get(splitAt));
                }
            }
            rows = csv.rows();
        }
        if (rows == 0) {
            throw new ConfigException(FIELD, file + " has a header but no data rows");
        }
        codings.forEach(ClassCoding::freeze);
        int width = featureAt.length;
        Heap.require(FIELD, rows * width * 4 + rows * 4 * labelAt.length, rows + " rows × " + width + " features of " + file);
        int n = Math.toIntExact(rows);
        float[] x = new float[Math.toIntExact(rows * width)];
        int[][] labels = new int[labelAt.length][n];
        boolean[] probe = splitAt >= 0 ? new boolean[n] : null;
        try (CsvRows csv = CsvRows.open(FIELD, file, separator)) {
            if (!csv.header().equals(header)) {
                throw new ConfigException(FIELD, file + " changed while infodyn read it (its header differs)");
            }
            List<String> row;
            int i = 0;
            while ((row = csv.next(FIELD)) != null) {
                if (i == n) {
                    throw new ConfigException(FIELD, file + " changed while infodyn read it (it has more rows now)");
                }
                String where = file + " line " + csv.line();
                for (int c = 0; c < width; c++) {
                    x[i * width + c] = number(row.get(featureAt[c]), where, header.get(featureAt[c]));
                }
                for (int k = 0; k < labelAt.length; k++) {
                    labels[k][i] = codings.get(k).code(row.get(labelAt[k]), where);
                }
                if (probe != null) {
                    probe[i] = isProbe(row.get(splitAt), where, header.get(splitAt));
                }
                i++;
            }
            if (i != n) {
                throw new ConfigException(FIELD, file + " changed while infodyn read it (it has fewer rows now)");
            }
        }
        List<Variable> vars = new ArrayList<>();
        for (int k = 0; k < labelAt.length; k++) {
            ClassCoding c = codings.get(k);
            vars.add(c.variable(labels[k], "column " + c.column() + " of " + file.getFileName()));
        }
        return new Table(x, n, TabularTask.sampleShape(shape, width), vars, probe);
    }

    private static float number(String raw, String where, String column) {
        String v = raw.strip();
        if (v.isEmpty()) {
            throw new ConfigException(FIELD, where + ", column '" + column + "': missing value (features must be numbers)");
        }
        float f;
        try {
            f = Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(FIELD, where + ", column '" + column + "': '" + shorten(v) + "' is not a number (features must be "
                    + "numbers; a text column can be a probe variable)");
        }
        if (!Float.isFinite(f)) {
            throw new ConfigException(FIELD, where + ", column '" + column + "': " + v + " is not a finite number"
                    + (Double.isFinite(Double.parseDouble(v)) ? " in float32" : ""));
        }
        return f;
    }

    private static boolean isProbe(String raw, String where, String column) {
        String v = raw.strip();
        if (v.equals("probe")) {
            return true;
        }
        if (v.equals("train")) {
            return false;
        }
        throw new ConfigException(FIELD, where + ", column '" + column + "': '" + shorten(v) + "' is not a split; allowed: train, probe");
    }

    private static String shorten(String v) {
        return v.length() <= 40 ? v : v.substring(0, 40) + "…";
    }
}
