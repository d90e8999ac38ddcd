/**
 * infodyn's plugin contract: what a plugin author compiles against, and nothing more. The four
 * SPIs ({@link org.infodyn.api.backend.Backend}, {@link org.infodyn.api.task.Task},
 * {@link org.infodyn.api.probe.Probe}, {@link org.infodyn.api.model.ModelFactory}) and the value
 * types they exchange: model specs and layer kinds, parameters, tensors, datasets and variables,
 * parameter declarations, randomness. It depends on no other module of infodyn and on no library;
 * the engine that runs experiments ({@code org.infodyn.engine}) depends on it, never the reverse.
 */
module org.infodyn.api {
    exports org.infodyn.api;
    exports org.infodyn.api.backend;
    exports org.infodyn.api.config;
    exports org.infodyn.api.data;
    exports org.infodyn.api.model;
    exports org.infodyn.api.probe;
    exports org.infodyn.api.random;
    exports org.infodyn.api.task;
}
