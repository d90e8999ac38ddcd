/**
 * The {@code infodyn} command line: {@code run}, {@code backends}, {@code tasks},
 * {@code probes}, {@code models}, {@code bench}. Plugins are found through the api's registry;
 * this module references none of them.
 */
module org.infodyn.cli {
    requires org.infodyn.api;
    requires info.picocli;

    exports org.infodyn.cli;
    exports org.infodyn.cli.compare;
    exports org.infodyn.cli.report;
    exports org.infodyn.cli.sweep;

    opens org.infodyn.cli to info.picocli;
}
