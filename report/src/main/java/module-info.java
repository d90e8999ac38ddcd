/**
 * The report of a sweep or a folder of runs: a self-contained {@code report.html} (inline SVG,
 * nothing fetched) and {@code figures/*.svg}, drawn from the engine's aggregates.
 */
module org.infodyn.report {
    requires org.infodyn.engine;

    exports org.infodyn.report;
}
