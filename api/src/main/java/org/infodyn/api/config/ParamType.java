package org.infodyn.api.config;

/** The value types a plugin parameter can have. Lists are written as YAML/JSON sequences. */
public enum ParamType {
    /** A whole number (Java {@code long}; read with {@link Params#getInt} when it fits an int). */
    INTEGER("integer"),
    /** A decimal number. */
    DECIMAL("number"),
    /** {@code true} or {@code false}. */
    BOOLEAN("boolean"),
    /** Free text, or one of a fixed set of choices. */
    STRING("string"),
    /** A list of whole numbers, e.g. {@code [100, 100, 2]}. */
    INTEGER_LIST("list of integers"),
    /** A list of strings. */
    STRING_LIST("list of strings"),
    /**
     * A list of mappings, each a YAML/JSON object with string keys and plain values (numbers,
     * booleans, strings, lists, nested mappings), e.g. the {@code layers} of a network. The plugin
     * binds each element itself (typically with {@link Params#bind} and an element path such as
     * {@code model.layers[3]}), so its messages name the element and field.
     */
    MAPPING_LIST("list of mappings");

    private final String label;

    ParamType(String label) {
        this.label = label;
    }

    /** How the type is named in messages and listings. */
    public String label() {
        return label;
    }
}
