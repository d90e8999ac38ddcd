package org.infodyn.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.SparkConf;
import org.apache.spark.launcher.JavaModuleOptions;
import org.infodyn.api.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Checks of {@code --spark} and {@code --spark-conf} made before Spark starts. */
class SparkSettingsTest {
    @Test
    void masterUrlsInTheirForms() {
        assertThat(SparkMaster.check("local").localSlots()).isEqualTo(1);
        assertThat(SparkMaster.check("local[3]").localSlots()).isEqualTo(3);
        assertThat(SparkMaster.check("local[2,4]").localSlots()).isEqualTo(2);
        assertThat(SparkMaster.check("local[*]").localSlots()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThatThrownBy(() -> SparkMaster.check("local[0]")).isInstanceOf(ConfigException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> SparkMaster.check("spark://nohostport")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'nohostport' is not HOST:PORT");
        assertThatThrownBy(() -> SparkMaster.check("yarn")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("this Spark has no yarn support").hasMessageContaining("spark-submit");
    }

    @Test
    void knownOptionsPassOpenEndedOnesPassTyposAreNamedWithTheNearestOption() {
        SparkSettings.check("spark.executor.memory", "4g");
        SparkSettings.check("spark.task.maxFailures", "8");
        SparkSettings.check("spark.executorEnv.INFODYN_CACHE_DIR", "/scratch/infodyn");
        SparkSettings.check("spark.hadoop.fs.defaultFS", "file:///");
        assertThatThrownBy(() -> SparkSettings.check("spark.task.maxFailure", "8")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("did you mean spark.task.maxFailures?");
        assertThatThrownBy(() -> SparkSettings.check("spark.task.maxFailures", "many")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a value Spark accepts for spark.task.maxFailures");
        assertThatThrownBy(() -> SparkSettings.check("spark.completely.unknown.thing", "1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Spark has no option spark.completely.unknown.thing (options: https://spark.apache.org");
    }

    @Test
    void executorsGetInfodynsClassPathTheOfflineSwitchesAndTheUsersOptionsWin() {
        SparkConf conf = SparkSettings.build(Optional.of(SparkMaster.check("local[2]")),
                Map.of("spark.executorEnv.DJL_OFFLINE", "true", "spark.executor.extraJavaOptions", "-Dx=1"), "test");
        assertThat(conf.get("spark.master")).isEqualTo("local[2]");
        assertThat(conf.get("spark.app.name")).isEqualTo("test");
        assertThat(conf.get("spark.executor.extraClassPath")).contains("classes"); // this module's classes, in a checkout
        assertThat(conf.get("spark.executor.extraJavaOptions")).startsWith("-Dx=1 ").contains("-Dai.djl.offline=true");
        assertThat(conf.get("spark.executorEnv.OPT_OUT_TRACKING")).isEqualTo("true");
        assertThat(conf.get("spark.executorEnv.GLIBC_TUNABLES")).isEqualTo(SparkSettings.MALLOC_TUNABLES);
    }

    @Test
    void theMainDistributionHoldsNoSparkSoTheMainJobNeverLoadsIt() throws Exception {
        try (var jars = Files.list(Path.of(System.getProperty("infodyn.cli.dist")))) {
            assertThat(jars.map(p -> p.getFileName().toString()).toList()).isNotEmpty()
                    .noneMatch(n -> n.startsWith("spark-") || n.startsWith("scala-") || n.startsWith("infodyn-spark"));
        }
        String launcher = Files.readString(Path.of(System.getProperty("infodyn.examples")).resolveSibling("infodyn"));
        assertThat(launcher).as("Spark's jars join the class path only for --spark")
                .containsPattern("if \\[\\[ \\$spark == 1 \\]\\]; then\\s+#[^\\n]*\\n(\\s+#[^\\n]*\\n)*\\s+cp=\"\\$cp:\\$root/spark/\\$target/dist");
    }

    @Test
    void executorsRunWithTheLaunchersMallocSettings() throws Exception {
        Path root = Path.of(System.getProperty("infodyn.examples")).getParent();
        assertThat(Files.readString(root.resolve("infodyn"))).contains("export GLIBC_TUNABLES=" + SparkSettings.MALLOC_TUNABLES + "\n");
    }

    @Test
    void theLauncherOpensWhatSparkSubmitOpens() throws Exception {
        String launcher = Files.readString(Path.of(System.getProperty("infodyn.examples")).resolveSibling("infodyn"));
        for (String option : JavaModuleOptions.defaultModuleOptionArray()) {
            if (option.startsWith("--add-opens=java.base/")) {
                String pkg = option.substring("--add-opens=java.base/".length(), option.lastIndexOf('='));
                assertThat(launcher).as(option).containsPattern("for p in[^;]*\\b" + pkg.replace(".", "\\.") + "\\b");
            } else if (option.startsWith("--add-opens") || option.startsWith("-Dio.netty")) {
                assertThat(launcher).as(option).contains(option);
            }
        }
        assertThat(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray())).isNotEmpty();
    }
}
