package org.infodyn.tasks.io;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.data.Variable;

/**
 * Turns the values of a label column into class indices, in two passes so that a column of
 * millions of rows needs no more than its distinct values: {@link #observe} every value, then
 * {@link #freeze} and {@link #code} every value.
 *
 * <p>The rule, recorded with each run (the class names go into its manifest):
 * <ul>
 * <li>declared names (a task parameter) fix the classes and their order; any other value is an
 *     error;</li>
 * <li>otherwise, when every value is a whole number ≥ 0, the value is the class index and there
 *     are {@code max + 1} classes, named {@code "0"}, {@code "1"}, …;</li>
 * <li>otherwise the distinct values, sorted (Java's string order), are the classes.</li>
 * </ul>
 */
public final class ClassCoding {
    /** More distinct values than this is a measurement, not a class label. */
    public static final int MAX_CLASSES = 10_000;

    private final String field;
    private final String column;
    private final List<String> declared;
    private final TreeSet<String> seen = new TreeSet<>();
    private boolean allIndices = true;
    private long maxIndex = -1;
    private Map<String, Integer> index;
    private List<String> names;

    /**
     * @param field the experiment field that names the data, for messages
     * @param column the column's name, for messages
     * @param declared the declared class names in order, or empty
     */
    public ClassCoding(String field, String column, List<String> declared) {
        this.field = field;
        this.column = column;
        this.declared = List.copyOf(declared);
    }

    /**
     * Notes one value.
     *
     * @param where the file and row, for messages ({@code data.csv line 17})
     */
    public void observe(String raw, String where) {
        String v = raw.strip();
        if (v.isEmpty()) {
            throw new ConfigException(field, where + ", column '" + column + "': missing value (a class label is needed)");
        }
        if (!declared.isEmpty()) {
            if (!declared.contains(v)) {
                throw new ConfigException(field, where + ", column '" + column + "': unknown class name '" + v + "'; declared: "
                        + ConfigException.list(declared));
            }
            return;
        }
        if (allIndices) {
            long k = wholeNumber(v);
            if (k >= 0 && k < MAX_CLASSES) {
                maxIndex = Math.max(maxIndex, k);
            } else {
                allIndices = false;
            }
        }
        if (seen.size() <= MAX_CLASSES) {
            seen.add(v);
        }
        if (seen.size() > MAX_CLASSES) {
            throw new ConfigException(field, "column '" + column + "' has more than " + MAX_CLASSES + " distinct values (seen by "
                    + where + "); a variable must be a class label, not a measurement");
        }
    }

    /** Notes an integer value read from a binary file. */
    public void observe(long value, String where) {
        observe(Long.toString(value), where);
    }

    private static long wholeNumber(String v) {
        if (v.length() > 18) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(v);
    }

    /**
     * Fixes the classes after every value was observed.
     *
     * @throws ConfigException when the column holds fewer than two classes
     */
    public void freeze() {
        if (!declared.isEmpty()) {
            names = declared;
        } else if (allIndices && maxIndex >= 0) {
            names = new ArrayList<>();
            for (long k = 0; k <= maxIndex; k++) {
                names.add(Long.toString(k));
            }
        } else {
            names = new ArrayList<>(seen);
        }
        if (names.size() < 2) {
            throw new ConfigException(field, "column '" + column + "' holds a single class (" + ConfigException.list(names)
                    + "); a variable needs at least two");
        }
        index = new HashMap<>();
        if (allIndices && declared.isEmpty()) {
            for (String v : seen) {
                index.put(v, (int) wholeNumber(v));
            }
        } else {
            for (int i = 0; i < names.size(); i++) {
                index.put(names.get(i), i);
            }
        }
    }

    /** The class index of a value observed in the first pass. */
    public int code(String raw, String where) {
        Integer k = index.get(raw.strip());
        if (k == null) {
            // only when the file changed between the passes
            throw new ConfigException(field, where + ", column '" + column + "': value '" + raw.strip() + "' was not there when the file "
                    + "was first read; did the file change while infodyn read it?");
        }
        return k;
    }

    /** The class index of an integer value. */
    public int code(long value, String where) {
        return code(Long.toString(value), where);
    }

    /**
     * The column as a variable, named after it.
     *
     * @param codes every row's class index, from {@link #code}
     */
    public Variable variable(int[] codes, String description) {
        return new Variable(column, names.size(), codes, names(), description);
    }

    /** The class names, in class order. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** The column's name. */
    public String column() {
        return column;
    }
}
