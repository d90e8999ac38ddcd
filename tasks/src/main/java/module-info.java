/** Built-in tasks: the checkerboard decision task of Kleinman et al. (ICLR 2021). */
module org.infodyn.tasks {
    requires org.infodyn.api;

    exports org.infodyn.tasks.checkerboard;

    provides org.infodyn.api.task.Task with org.infodyn.tasks.checkerboard.CheckerboardTask;
}
