package org.infodyn.api.probe;

/**
 * One measured value.
 *
 * @param metric metric name, e.g. {@code bits}, {@code decoder_accuracy}
 * @param value the value in the metric's documented unit
 */
public record Measurement(String metric, double value) {
    public Measurement {
        java.util.Objects.requireNonNull(metric);
    }
}
