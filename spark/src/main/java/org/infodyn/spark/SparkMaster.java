package org.infodyn.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.infodyn.api.config.ConfigException;

/**
 * A Spark master URL, checked before Spark sees it: Spark itself reports a malformed URL with a
 * stack trace, and retries an unreachable standalone master for a minute before giving up.
 *
 * @param url the URL as Spark takes it
 * @param localSlots for {@code local[N]}, N (the processors for {@code local[*]}); 0 for a cluster
 */
record SparkMaster(String url, int localSlots) {
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*(\\d+))?\\])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://(.+)");
    private static final Pattern HOST_PORT = Pattern.compile("\\[?([^\\]]+?)\\]?:(\\d{1,5})");

    /** The forms infodyn accepts, for messages. */
    static final String FORMS = "local, local[N], local[*], spark://HOST:PORT (several masters: spark://H1:P1,H2:P2), "
            + "or yarn / k8s://… under spark-submit from a Spark installation that has them";

    /** How long to wait for a standalone master to accept a connection. */
    private static final int CONNECT_MILLIS = 3000;

    /**
     * Parses and checks a master URL: a standalone master must accept a TCP connection.
     *
     * @throws ConfigException naming the URL, what is wrong and the accepted forms
     */
    static SparkMaster check(String url) {
        String u = url.strip();
        Matcher local = LOCAL.matcher(u);
        if (local.matches()) {
            String n = local.group(1);
            int slots = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
            if (slots < 1) {
                throw new ConfigException("--spark " + url + ": local mode needs at least one thread, as in local[2]");
            }
            return new SparkMaster(u, slots);
        }
        Matcher standalone = STANDALONE.matcher(u);
        if (standalone.matches()) {
            List<String> problems = new ArrayList<>();
            for (String hp : standalone.group(1).split(",")) {
                Matcher m = HOST_PORT.matcher(hp.strip());
                if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
                    throw new ConfigException("--spark " + url + ": '" + hp + "' is not HOST:PORT; expected " + FORMS);
                }
                String problem = unreachable(m.group(1), Integer.parseInt(m.group(2)));
                if (problem == null) {
                    return new SparkMaster(u, 0); // Spark fails over between masters itself: one that answers is enough
                }
                problems.add(problem);
            }
            throw new ConfigException("--spark " + url + ": no Spark master answers (" + String.join("; ", problems)
                    + "); start one (Spark's sbin/start-master.sh) or check the host and port");
        }
        if (u.equals("yarn") || u.startsWith("k8s://") || u.startsWith("mesos://")) {
            if (!clusterManagerPresent(u)) {
                throw new ConfigException("--spark " + url + ": this Spark has no " + u.replaceFirst("://.*", "")
                        + " support (infodyn's distribution carries Spark's core only); submit the sweep with spark-submit from"
                        + " a Spark installation that has it (README, 'Sweeps on a cluster')");
            }
            return new SparkMaster(u, 0);
        }
        throw new ConfigException("--spark " + url + ": not a Spark master URL; expected " + FORMS);
    }

    /** Why a host:port does not accept connections, or null when it does. */
    private static String unreachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
            return null;
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return host + ":" + port + ": " + why.replaceFirst(" \\(.*\\)$", "").toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether the Spark on the class path can schedule on YARN or Kubernetes. */
    private static boolean clusterManagerPresent(String url) {
        String cls = url.equals("yarn") ? "org.apache.spark.scheduler.cluster.YarnClusterManager"
                : url.startsWith("k8s://") ? "org.apache.spark.scheduler.cluster.k8s.KubernetesClusterManager"
                : "org.apache.spark.scheduler.cluster.mesos.MesosClusterManager";
        try {
            Class.forName(cls, false, SparkMaster.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
