package org.infodyn.engine.output;

/**
 * One row of {@code metrics.csv} (long format: one value per row).
 *
 * @param runId the run's id
 * @param backend backend id
 * @param seed run seed
 * @param phase 0-based phase index of the step
 * @param epoch cumulative epochs completed at the step (fractional)
 * @param step global SGD step (0 = before training)
 * @param layer probed layer, or {@code output} for training metrics
 * @param variable the variable measured (for training metrics: the target)
 * @param probe the probe's label, or {@code train}
 * @param metric the metric name
 * @param value the value; non-finite values are written as an empty field
 */
public record MetricRow(String runId, String backend, long seed, int phase, double epoch, long step, String layer,
        String variable, String probe, String metric, double value) {

    /** The header line. */
    public static final String HEADER = "run_id,backend,seed,phase,epoch,step,layer,variable,probe,metric,value";
}
