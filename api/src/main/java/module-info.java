/**
 * infodyn's core: the three SPIs ({@link org.infodyn.api.backend.Backend},
 * {@link org.infodyn.api.task.Task}, {@link org.infodyn.api.probe.Probe}) plus model factories,
 * the value types they exchange, experiment files, the plugin registry, the run loop and the
 * run output. Depends on no backend.
 */
module org.infodyn.api {
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.slf4j;
    requires java.management;

    exports org.infodyn.api;
    exports org.infodyn.api.backend;
    exports org.infodyn.api.config;
    exports org.infodyn.api.data;
    exports org.infodyn.api.experiment;
    exports org.infodyn.api.model;
    exports org.infodyn.api.output;
    exports org.infodyn.api.plugin;
    exports org.infodyn.api.probe;
    exports org.infodyn.api.random;
    exports org.infodyn.api.run;
    exports org.infodyn.api.task;

    uses org.infodyn.api.backend.Backend;
    uses org.infodyn.api.task.Task;
    uses org.infodyn.api.probe.Probe;
    uses org.infodyn.api.model.ModelFactory;

    provides org.infodyn.api.model.ModelFactory with
            org.infodyn.api.model.MlpFactory,
            org.infodyn.api.model.CnnSmallFactory,
            org.infodyn.api.model.AllCnnCFactory,
            org.infodyn.api.model.ResNet18CifarFactory;
}
