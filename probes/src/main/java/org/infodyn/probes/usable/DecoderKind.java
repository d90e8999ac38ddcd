package org.infodyn.probes.usable;

import java.util.Arrays;
import java.util.List;

/** The decoder families V the probe can use, by their experiment-file names. */
public enum DecoderKind {
    /** Multinomial logistic regression, fitted to convergence. */
    LINEAR("linear"),
    /** One hidden ReLU layer, fixed Adam budget. */
    MLP("mlp");

    private final String id;

    DecoderKind(String id) {
        this.id = id;
    }

    /** The name in experiment files. */
    public String id() {
        return id;
    }

    /** All names, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(DecoderKind::id).toList();
    }

    /** The kind named {@code id} (already validated against {@link #ids()}). */
    public static DecoderKind of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown decoder " + id));
    }
}
