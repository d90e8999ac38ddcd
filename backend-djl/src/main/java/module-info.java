/**
 * The DJL backend: runs infodyn models on PyTorch through DJL 0.36.0. Registers
 * {@link org.infodyn.backend.djl.DjlBackend} as a {@code Backend} service (id {@code djl}).
 * DJL is always used offline with telemetry off: {@code ai.djl.offline=true} and
 * {@code OPT_OUT_TRACKING=true} are set before DJL is first touched.
 */
module org.infodyn.backend.djl {
    requires org.infodyn.api;
    requires ai.djl.api;
    requires ai.djl.pytorch_engine;
    requires org.slf4j;
    requires java.management; // DJL reports GPU memory as a MemoryUsage

    exports org.infodyn.backend.djl;

    provides org.infodyn.api.backend.Backend with org.infodyn.backend.djl.DjlBackend;
}
