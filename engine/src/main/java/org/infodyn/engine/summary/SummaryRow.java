package org.infodyn.engine.summary;

/**
 * One aggregated value: a metric at one step of one condition, over its seeds.
 *
 * @param condition condition id
 * @param probe probe label ({@code train} for training metrics)
 * @param layer layer
 * @param variable variable
 * @param metric metric
 * @param step global step
 * @param epoch cumulative epoch at the step
 * @param n number of seeds with a finite value
 * @param mean mean over those seeds
 * @param sd sample standard deviation (n − 1 in the denominator; 0 when n = 1)
 * @param ciLow lower end of the 95 % confidence interval of the mean (t-based; NaN when n &lt; 2)
 * @param ciHigh upper end
 */
public record SummaryRow(String condition, String probe, String layer, String variable, String metric, long step, double epoch,
        int n, double mean, double sd, double ciLow, double ciHigh) {

    /** The header of {@code summary.csv}. */
    public static final String HEADER = "condition,probe,layer,variable,metric,step,epoch,n,mean,sd,ci_low,ci_high";
}
