/**
 * Example infodyn plugins, one of each kind, each registered both ways (here and in
 * META-INF/services): a task (parity), a probe (class-separation), a model (bottleneck) and a
 * backend (tiny-java).
 */
module org.example.infodyn.plugins {
    requires org.infodyn.api;

    provides org.infodyn.api.task.Task with org.example.infodyn.parity.ParityTask;
    provides org.infodyn.api.probe.Probe with org.example.infodyn.separation.SeparationProbe;
    provides org.infodyn.api.model.ModelFactory with org.example.infodyn.bottleneck.BottleneckFactory;
    provides org.infodyn.api.backend.Backend with org.example.infodyn.tinybackend.TinyJavaBackend;
}
