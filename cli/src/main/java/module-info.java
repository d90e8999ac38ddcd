/**
 * The {@code infodyn} command line: argument parsing, terminal progress, tables and exit codes.
 * Everything else is the engine's ({@code org.infodyn.engine}) and the report's
 * ({@code org.infodyn.report}); plugins are found by the engine's registry, and this module
 * references none of them.
 */
module org.infodyn.cli {
    requires org.infodyn.engine;
    requires org.infodyn.report;
    requires info.picocli;
    requires com.sun.jna;
    requires jdk.unsupported; // sun.misc.Signal: Ctrl-C and SIGTERM stop runs cleanly

    exports org.infodyn.cli;

    uses org.infodyn.engine.sweep.SweepCluster; // sweep --spark: module spark, on the class path only for it

    opens org.infodyn.cli to info.picocli;
}
