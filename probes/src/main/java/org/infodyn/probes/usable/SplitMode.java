package org.infodyn.probes.usable;

import java.util.Arrays;
import java.util.List;

/** Which samples the decoder is fitted on and which it is scored on (DESIGN §5). */
public enum SplitMode {
    /** Fit on the fixed subset of the network's train split, score on the whole probe split. */
    TRAIN_SUBSET("train-subset"),
    /** Split the probe split in two halves (seeded, fixed per series): fit on one, score on the other. */
    PROBE_HALVES("probe-halves"),
    /** K-fold cross-fitting on the probe split: every sample is scored once, by the decoder not fitted on it. */
    KFOLD("kfold");

    private final String id;

    SplitMode(String id) {
        this.id = id;
    }

    /** The name in experiment files. */
    public String id() {
        return id;
    }

    /** All names, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(SplitMode::id).toList();
    }

    /** The mode named {@code id} (already validated against {@link #ids()}). */
    public static SplitMode of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown split " + id));
    }
}
