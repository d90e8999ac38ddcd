package org.infodyn.engine.experiment;

import java.util.List;
import java.util.Locale;

import org.infodyn.api.config.ConfigException;

/**
 * A probe block's {@code reduce} field, as written: how the probed layers' representations are
 * reduced before the probe sees them. The reduction itself, resolved for one layer's shape, is
 * {@link org.infodyn.engine.run.Reduction}.
 *
 * @param kind which reduction
 * @param size its argument: K of {@code spatial-pool:K}, D of {@code random-projection:D} and
 *     {@code pca:D}; 0 for the others
 */
public record ReduceSetting(Kind kind, int size) {
    /** The field name. */
    public static final String FIELD = "reduce";
    /** What {@link Kind#AUTO} keeps whole: layers of at most this many features. */
    public static final int AUTO_MAX_FEATURES = 8192;
    /** The largest D of {@code random-projection:D} and {@code pca:D}. */
    public static final int MAX_SIZE = 65_536;
    /** The default. */
    public static final ReduceSetting AUTO = new ReduceSetting(Kind.AUTO, 0);
    /** The forms accepted, for messages. */
    public static final List<String> FORMS = List.of("auto", "none", "channel-mean", "spatial-pool:K", "random-projection:D", "pca:D");

    /** The reductions. */
    public enum Kind {
        /** {@code none} for layers of at most {@value #AUTO_MAX_FEATURES} features, else the finest {@code spatial-pool:K} within it. */
        AUTO("auto"),
        /** The representation as it is. */
        NONE("none"),
        /** The mean of each channel over its positions: C features. */
        CHANNEL_MEAN("channel-mean"),
        /** The mean of each channel over a K × K grid of windows (adaptive average pooling): C·K² features. */
        SPATIAL_POOL("spatial-pool"),
        /** D seeded Gaussian combinations of the features, N(0, 1/D) weights, the same at every point. */
        RANDOM_PROJECTION("random-projection"),
        /** The coordinates on the fit samples' first D principal directions, refitted at every point. */
        PCA("pca");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The name written in experiment files. */
        public String id() {
            return id;
        }

        /** Whether the form takes a size ({@code :K} or {@code :D}). */
        public boolean sized() {
            return this == SPATIAL_POOL || this == RANDOM_PROJECTION || this == PCA;
        }
    }

    /**
     * Reads the field's text.
     *
     * @param path the field's path, for messages (e.g. {@code probes[0].reduce})
     */
    public static ReduceSetting parse(String text, String path) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int colon = t.indexOf(':');
        String name = colon < 0 ? t : t.substring(0, colon);
        for (Kind k : Kind.values()) {
            if (!k.id().equals(name)) {
                continue;
            }
            if (!k.sized()) {
                if (colon >= 0) {
                    throw new ConfigException(path, "'" + text + "': " + k.id() + " takes no size; write " + k.id());
                }
                return new ReduceSetting(k, 0);
            }
            String letter = k == Kind.SPATIAL_POOL ? "K" : "D";
            if (colon < 0) {
                throw new ConfigException(path, "'" + text + "' needs a size: write " + k.id() + ":" + letter + ", e.g. " + k.id()
                        + (k == Kind.SPATIAL_POOL ? ":4" : ":256"));
            }
            int size;
            try {
                size = Integer.parseInt(t.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(path, "'" + text + "': " + letter + " must be a whole number, e.g. " + k.id() + ":"
                        + (k == Kind.SPATIAL_POOL ? "4" : "256"));
            }
            if (size < 1 || size > MAX_SIZE) {
                throw new ConfigException(path, "'" + text + "': " + letter + " must be between 1 and " + MAX_SIZE + ", got " + size);
            }
            return new ReduceSetting(k, size);
        }
        throw new ConfigException(path, "'" + text + "' is not a reduction; use one of " + String.join(", ", FORMS));
    }

    /** The canonical text ({@code spatial-pool:4}, {@code none}, …). */
    public String text() {
        return kind.sized() ? kind.id() + ":" + size : kind.id();
    }
}
