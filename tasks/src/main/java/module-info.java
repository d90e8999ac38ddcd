/**
 * Built-in tasks: the checkerboard decision task of Kleinman et al. (ICLR 2021), and image tasks
 * trained on coarse labels (MNIST / Fashion-MNIST, CIFAR-10, CIFAR-100) with readers for their
 * official file formats.
 */
module org.infodyn.tasks {
    requires org.infodyn.api;

    exports org.infodyn.tasks.checkerboard;
    exports org.infodyn.tasks.images;

    provides org.infodyn.api.task.Task with
            org.infodyn.tasks.checkerboard.CheckerboardTask,
            org.infodyn.tasks.images.MnistCoarseTask,
            org.infodyn.tasks.images.Cifar10CoarseTask,
            org.infodyn.tasks.images.Cifar100CoarseTask;
}
