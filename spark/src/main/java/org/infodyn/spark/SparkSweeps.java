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

    @Override
    public String check(String master, Map<String, String> settings) {
        settings.forEach(SparkSettings::check);
        if (master.isBlank()) {
            return "Spark: " + settings.size() + " option" + (settings.size() == 1 ? "" : "s") + " checked; the master is spark-submit's";
        }
        SparkMaster m = SparkMaster.check(master);
        return "Spark: " + (m.localSlots() > 0 ? "local mode, " + m.localSlots() + " task" + (m.localSlots() == 1 ? "" : "s")
                + " at once" : "the master at " + m.url() + " answers") + "; " + settings.size() + " option"
                + (settings.size() == 1 ? "" : "s") + " checked";
    }
}
