package org.infodyn.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.sweep.SweepCluster;

/**
 * Finds the Spark support of {@code sweep --spark} (module spark, found by ServiceLoader: the
 * command line never refers to Spark, and the launcher puts Spark's jars on the class path only
 * for {@code --spark}) and reads {@code --spark-conf}.
 */
final class SparkSupport {
    private SparkSupport() {
    }

    /** The Spark cluster support, or a clear installation error (exit 2). */
    static SweepCluster find() {
        for (SweepCluster c : ServiceLoader.load(SweepCluster.class)) {
            if (c.id().equals("spark")) {
                return c;
            }
        }
        throw new ConfigException("--spark: Spark support is not on the class path. ./infodyn adds it for --spark (it builds"
                + " spark/target/dist on first use); when you start Java yourself, add spark/target/dist/app/* and"
                + " spark/target/dist/lib/* to the class path");
    }

    /** {@code --spark-conf KEY=VALUE} options, in order; a repeated key keeps the last value. */
    static Map<String, String> settings(List<String> assignments) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--spark-conf " + a + ": expected KEY=VALUE, e.g. spark.executor.memory=4g");
            }
            out.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
        }
        return out;
    }
}
