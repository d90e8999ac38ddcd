package org.infodyn.spark;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.spark.SparkConf;
import org.apache.spark.internal.config.ConfigEntry;
import org.infodyn.api.config.ConfigException;
import org.infodyn.engine.Engine;

/**
 * The Spark configuration of a sweep: the user's {@code --spark-conf} options, each checked
 * against the options Spark defines (a typo in a key is an error here, where Spark would ignore
 * it silently), over infodyn's defaults for executors: its class path, the offline switches of
 * the backends, and Java's module openings.
 */
final class SparkSettings {
    /** Options whose names are open-ended (environment variables, Hadoop settings, resources, plugins). */
    private static final List<String> OPEN_PREFIXES = List.of("spark.executorEnv.", "spark.hadoop.", "spark.driver.resource.",
            "spark.executor.resource.", "spark.worker.resource.", "spark.metrics.conf.", "spark.sql.", "spark.yarn.",
            "spark.kubernetes.", "spark.master.rest.", "spark.ui.filters.", "spark.eventLog.", "spark.history.", "spark.ssl.",
            "spark.plugins.", "spark.authenticate.", "spark.shuffle.push.");

    /** The classes that register Spark core's options when loaded. */
    private static final List<String> CONFIG_OBJECTS = List.of("package$", "Deploy$", "History$", "Kryo$", "Network$", "Python$",
            "R$", "Status$", "Streaming$", "Tests$", "UI$", "Worker$");

    /**
     * The malloc settings ./infodyn runs with (see the launcher): executors train as fast as a
     * local sweep, whichever arena layout their process happens to get.
     */
    static final String MALLOC_TUNABLES = "glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432"
            + ":glibc.malloc.trim_threshold=1073741824";

    private SparkSettings() {
    }

    /**
     * The configuration for a sweep.
     *
     * @param master the checked master, or empty to keep spark-submit's
     * @param settings {@code --spark-conf} options
     * @throws ConfigException for an unknown option or a value Spark cannot read
     */
    static SparkConf build(Optional<SparkMaster> master, Map<String, String> settings, String appName) {
        settings.forEach(SparkSettings::check);
        SparkConf conf = new SparkConf(); // spark-submit's settings arrive as system properties
        master.ifPresent(m -> conf.setMaster(m.url()));
        if (!conf.contains("spark.master")) {
            throw new ConfigException("--spark: no master given; name one (--spark local[2], --spark spark://HOST:PORT) or start"
                    + " infodyn with spark-submit --master");
        }
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.ui.showConsoleProgress", "false"); // infodyn shows its own progress
        conf.setIfMissing("spark.executor.extraClassPath", String.join(java.io.File.pathSeparator, executorClassPath()));
        conf.setIfMissing("spark.executorEnv.OPT_OUT_TRACKING", "true");
        conf.setIfMissing("spark.executorEnv.DJL_OFFLINE", "true");
        conf.setIfMissing("spark.executorEnv.TF_CPP_MIN_LOG_LEVEL", "2");
        conf.setIfMissing("spark.executorEnv.GLIBC_TUNABLES", MALLOC_TUNABLES);
        settings.forEach(conf::set);
        // Nothing downloads at run time, on any machine: DJL's switch is a system property. (And DJL's
        // warning about a CUDA toolkit without a GPU stays out of the executors' logs, as it stays off the terminal.)
        String offline = "-Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error";
        String opts = conf.get("spark.executor.extraJavaOptions", "");
        if (!opts.contains("ai.djl.offline")) {
            conf.set("spark.executor.extraJavaOptions", (opts + " " + offline).strip());
        }
        return conf;
    }

    /** Checks one {@code --spark-conf} option by name and value. */
    static void check(String key, String value) {
        if (!key.startsWith("spark.")) {
            throw new ConfigException("--spark-conf " + key + "=" + value + ": Spark options start with 'spark.' (e.g."
                    + " spark.executor.memory=4g)");
        }
        if (OPEN_PREFIXES.stream().anyMatch(key::startsWith)) {
            return;
        }
        ConfigEntry<?> entry = entry(key);
        if (entry == null) {
            String near = nearest(key).map(k -> "; did you mean " + k + "?").orElse("");
            throw new ConfigException("--spark-conf " + key + "=" + value + ": Spark has no option " + key + near
                    + " (options: https://spark.apache.org/docs/latest/configuration.html)");
        }
        try {
            entry.valueConverter().apply(value);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new ConfigException("--spark-conf " + key + "=" + value + ": not a value Spark accepts for " + key + ": " + why
                    + (entry.defaultValueString().equals(ConfigEntry.UNDEFINED()) ? "" : " (default: " + entry.defaultValueString() + ")"));
        }
    }

    private static ConfigEntry<?> entry(String key) {
        registerSparkOptions();
        ConfigEntry<?> e = ConfigEntry.findEntry(key);
        if (e != null) {
            return e;
        }
        for (ConfigEntry<?> x : all()) { // an option may also go by an older name
            if (scala.jdk.javaapi.CollectionConverters.asJava(x.alternatives()).contains(key)) {
                return x;
            }
        }
        return null;
    }

    private static Collection<ConfigEntry<?>> all() {
        registerSparkOptions();
        return ConfigEntry.listAllEntries();
    }

    /** The known option closest to a mistyped one, if any is close. */
    private static Optional<String> nearest(String key) {
        return all().stream().map(ConfigEntry::key).min(Comparator.comparingInt(k -> distance(k, key)))
                .filter(k -> distance(k, key) <= Math.max(2, key.length() / 6));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Loads Spark core's option objects: an option is registered when the object defining it is first used. */
    private static void registerSparkOptions() {
        for (String name : CONFIG_OBJECTS) {
            try {
                Class.forName("org.apache.spark.internal.config." + name, true, SparkSettings.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError ignored) {
                // an object another Spark version lacks: its options stay unknown
            }
        }
    }

    /**
     * Where executors find infodyn: the folders of the jars this driver runs (the distribution's
     * lib folder, this module's app folder) and the plugin path. Every worker must have the
     * distribution at the same path, as it must have the data; {@code --spark-conf
     * spark.executor.extraClassPath=…} says otherwise. Folders of classes (a development
     * checkout) are used as they are.
     */
    static List<String> executorClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : List.of(Engine.class, SparkSettings.class)) {
            location(c).ifPresent(p -> entries.add(Files.isDirectory(p) ? p.toString() : p.getParent().resolve("*").toString()));
        }
        String plugins = System.getProperty("infodyn.plugin.path", "");
        for (String p : plugins.split(java.io.File.pathSeparator)) {
            if (p.isBlank()) {
                continue;
            }
            entries.add(Files.isDirectory(Path.of(p)) ? Path.of(p).resolve("*").toString() : p);
        }
        return new ArrayList<>(entries);
    }

    private static Optional<Path> location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(cs.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
