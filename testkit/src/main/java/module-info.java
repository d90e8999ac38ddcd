/**
 * Compatibility kits for infodyn plugins: abstract JUnit 5 test classes that an implementation
 * subclasses, supplying a factory (in the manner of Micrometer's MeterRegistryCompatibilityKit),
 * and {@link org.infodyn.testkit.ReferenceModel}, a plain-Java network used only as their oracle.
 */
module org.infodyn.testkit {
    requires transitive org.infodyn.api;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires java.management;

    exports org.infodyn.testkit;

    opens org.infodyn.testkit to org.junit.platform.commons;
}
