package org.infodyn.api.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Declares one parameter of a plugin (a task, probe or model): its name, type, default,
 * allowed values and a one-line description. Plugins list their parameters so that the api can
 * bind an experiment block strictly (an unknown field is an error that lists the known ones),
 * fill in defaults (recorded in the run's manifest) and print them in {@code infodyn tasks}.
 *
 * <p>Build instances with the static factories and refine them with the {@code with…} methods:
 * {@code ParamSpec.integer("samples", 10_000, "number of samples").atLeast(4)}.
 *
 * @param name the field name in the experiment block
 * @param type the value type
 * @param defaultValue the default, or empty when the parameter is required
 * @param description one line for listings and error messages
 * @param choices for strings: the allowed values (empty = any)
 * @param min for numbers and numeric lists: the smallest allowed value (inclusive), if any
 * @param max for numbers and numeric lists: the largest allowed value (inclusive), if any
 * @param minExclusive whether {@code min} itself is excluded (a value must be greater than it)
 */
public record ParamSpec(
        String name,
        ParamType type,
        Optional<Object> defaultValue,
        String description,
        List<String> choices,
        Optional<Double> min,
        Optional<Double> max,
        boolean minExclusive) {

    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        choices = List.copyOf(choices);
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        defaultValue = defaultValue.map(ParamSpec::immutable);
    }

    private static Object immutable(Object value) {
        return value instanceof List<?> l ? List.copyOf(l) : value;
    }

    private static ParamSpec of(String name, ParamType type, Object dflt, String description) {
        return new ParamSpec(name, type, Optional.ofNullable(dflt), description, List.of(), Optional.empty(), Optional.empty(), false);
    }

    /** A whole number with a default. */
    public static ParamSpec integer(String name, long dflt, String description) {
        return of(name, ParamType.INTEGER, dflt, description);
    }

    /** A decimal number with a default. */
    public static ParamSpec decimal(String name, double dflt, String description) {
        return of(name, ParamType.DECIMAL, dflt, description);
    }

    /** A boolean with a default. */
    public static ParamSpec bool(String name, boolean dflt, String description) {
        return of(name, ParamType.BOOLEAN, dflt, description);
    }

    /** A string with a default. */
    public static ParamSpec string(String name, String dflt, String description) {
        return of(name, ParamType.STRING, dflt, description);
    }

    /** A string that must be one of {@code choices}; the default must be one of them. */
    public static ParamSpec choice(String name, String dflt, List<String> choices, String description) {
        if (!choices.contains(dflt)) {
            throw new IllegalArgumentException("default " + dflt + " is not among " + choices);
        }
        return of(name, ParamType.STRING, dflt, description).withChoices(choices);
    }

    /** A list of whole numbers with a default. */
    public static ParamSpec integerList(String name, List<Long> dflt, String description) {
        return of(name, ParamType.INTEGER_LIST, dflt, description);
    }

    /** A list of strings with a default. */
    public static ParamSpec stringList(String name, List<String> dflt, String description) {
        return of(name, ParamType.STRING_LIST, dflt, description);
    }

    /** A list of mappings with a default (often empty); see {@link ParamType#MAPPING_LIST}. */
    public static ParamSpec mappingList(String name, List<Map<String, Object>> dflt, String description) {
        return of(name, ParamType.MAPPING_LIST, dflt, description);
    }

    /** A parameter the user must give (no default). */
    public static ParamSpec required(String name, ParamType type, String description) {
        return of(name, type, null, description);
    }

    /** Same parameter, restricted to the given string values. */
    public ParamSpec withChoices(List<String> allowed) {
        return new ParamSpec(name, type, defaultValue, description, allowed, min, max, minExclusive);
    }

    /** Same parameter, with an inclusive lower bound (numbers, or every element of a numeric list). */
    public ParamSpec atLeast(double lowerBound) {
        return new ParamSpec(name, type, defaultValue, description, choices, Optional.of(lowerBound), max, false);
    }

    /** Same parameter, with an exclusive lower bound: values must be greater than {@code bound}. */
    public ParamSpec greaterThan(double bound) {
        return new ParamSpec(name, type, defaultValue, description, choices, Optional.of(bound), max, true);
    }

    /** Same parameter, with an inclusive upper bound. */
    public ParamSpec atMost(double upperBound) {
        return new ParamSpec(name, type, defaultValue, description, choices, min, Optional.of(upperBound), minExclusive);
    }

    /** A default as a listing shows it: text that would vanish or read as punctuation is quoted. */
    private static String shown(Object d) {
        return d instanceof String str && !str.matches("[\\p{L}\\p{N}/.~_].*") ? "\"" + str + "\"" : Params.format(d);
    }

    /** One line for listings: {@code samples (integer, default 10000, ≥ 4): number of samples}. */
    public String summary() {
        StringBuilder sb = new StringBuilder(name).append(" (").append(type.label());
        defaultValue.ifPresentOrElse(d -> sb.append(", default ").append(shown(d)), () -> sb.append(", required"));
        if (!choices.isEmpty()) {
            sb.append(", one of ").append(String.join("|", choices));
        }
        min.ifPresent(m -> sb.append(minExclusive ? ", > " : ", ≥ ").append(Params.format(m)));
        max.ifPresent(m -> sb.append(", ≤ ").append(Params.format(m)));
        return sb.append("): ").append(description).toString();
    }
}
