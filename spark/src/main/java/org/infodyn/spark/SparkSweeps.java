package org.infodyn.spark;

import java.util.Map;
import java.util.Optional;

import org.infodyn.engine.sweep.SweepCluster;

/** Apache Spark as infodyn's {@link SweepCluster}: {@code infodyn sweep EXPERIMENT --spark MASTER}. */
public final class SparkSweeps implements SweepCluster {
    private static final String QUIET_HADOOP = "org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader";

    @Override
    public String id() {
        return "spark";
    }

    @Override
    public Connection connect(String master, Map<String, String> settings, String appName) {
        // Spark's start-up warns that Hadoop's native code is absent: Spark runs without it, so say nothing.
        if (System.getProperty(QUIET_HADOOP) == null) {
            System.setProperty(QUIET_HADOOP, "error");
        }
        Optional<SparkMaster> m = master.isBlank() ? Optional.empty() : Optional.of(SparkMaster.check(master));
        return SparkConnection.open(SparkSettings.build(m, settings, appName), m.map(SparkMaster::localSlots).orElse(0));
    }
}
