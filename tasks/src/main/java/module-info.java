/**
 * Built-in tasks: the checkerboard decision task of Kleinman et al. (ICLR 2021); image tasks
 * trained on coarse labels (MNIST, Fashion-MNIST, CIFAR-10, CIFAR-100) with readers for their
 * official file formats; and your own data: a folder of images per class, or a table (CSV,
 * NumPy .npy/.npz).
 */
module org.infodyn.tasks {
    requires org.infodyn.api;
    requires java.desktop; // ImageIO: PNG and JPEG
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.dataformat.csv;

    exports org.infodyn.tasks.checkerboard;
    exports org.infodyn.tasks.images;
    exports org.infodyn.tasks.tabular;

    provides org.infodyn.api.task.Task with
            org.infodyn.tasks.checkerboard.CheckerboardTask,
            org.infodyn.tasks.images.MnistCoarseTask,
            org.infodyn.tasks.images.FashionMnistTask,
            org.infodyn.tasks.images.Cifar10CoarseTask,
            org.infodyn.tasks.images.Cifar100CoarseTask,
            org.infodyn.tasks.images.ImageFolderTask,
            org.infodyn.tasks.tabular.TabularTask;
}
