/**
 * Built-in network architectures, as {@link org.infodyn.api.model.ModelFactory} plugins:
 * {@code mlp}, {@code cnn-small}, {@code all-cnn-c}, {@code resnet18-cifar}, and {@code layers}
 * (a network written as a list of layers in the experiment). Registered like any
 * third-party model: {@code provides} here and {@code META-INF/services}.
 */
module org.infodyn.models {
    requires org.infodyn.api;

    exports org.infodyn.models;

    provides org.infodyn.api.model.ModelFactory with
            org.infodyn.models.MlpFactory,
            org.infodyn.models.CnnSmallFactory,
            org.infodyn.models.AllCnnCFactory,
            org.infodyn.models.ResNet18CifarFactory,
            org.infodyn.models.LayersFactory;
}
