package org.infodyn.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this build of infodyn. */
public final class Infodyn {
    private static final String VERSION = readVersion();

    private Infodyn() {
    }

    /** The tool version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = Infodyn.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
