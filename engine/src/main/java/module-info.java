/**
 * infodyn's engine: runs experiments and sweeps. Experiment files (parsing, {@code --set}
 * overrides, sweep expansion, binding), the plugin registry, run planning, the run loop, run
 * output, sweep execution with its lock and resume, and aggregation over seeds. Programs other
 * than the command line (tests, notebooks, cluster tasks) start at {@link org.infodyn.engine.Engine}.
 *
 * <p>It depends on {@code org.infodyn.api} only; plugins are found at run time with
 * {@link java.util.ServiceLoader}, never referenced.
 */
module org.infodyn.engine {
    requires transitive org.infodyn.api;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires java.management;
    requires jdk.management;

    exports org.infodyn.engine;
    exports org.infodyn.engine.compare;
    exports org.infodyn.engine.experiment;
    exports org.infodyn.engine.output;
    exports org.infodyn.engine.plugin;
    exports org.infodyn.engine.run;
    exports org.infodyn.engine.summary;
    exports org.infodyn.engine.sweep;

    uses org.infodyn.api.backend.Backend;
    uses org.infodyn.api.task.Task;
    uses org.infodyn.api.probe.Probe;
    uses org.infodyn.api.model.ModelFactory;
    uses org.infodyn.engine.sweep.SweepCluster;
}
