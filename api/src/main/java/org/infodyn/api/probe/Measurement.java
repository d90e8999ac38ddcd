package org.infodyn.api.probe;

import java.util.Objects;

/**
 * One measured value.
 *
 * @param metric metric name, e.g. {@code bits}, {@code decoder_accuracy}
 * @param value the value in the metric's documented unit
 */
public record Measurement(String metric, double value) {
    public Measurement {
        Objects.requireNonNull(metric);
    }
}
