/**
 * The TensorFlow backend: runs infodyn models on TensorFlow 2.18 through TensorFlow Java 1.1.0 in
 * graph mode (one {@code Session.run} per SGD step, the update inside the graph). Registers
 * {@link org.infodyn.backend.tf.TfBackend} as a {@code Backend} service (id {@code tf}).
 */
module org.infodyn.backend.tf {
    requires org.infodyn.api;
    requires tensorflow;

    exports org.infodyn.backend.tf;

    provides org.infodyn.api.backend.Backend with org.infodyn.backend.tf.TfBackend;
}
