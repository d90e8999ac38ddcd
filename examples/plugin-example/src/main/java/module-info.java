/** An infodyn task plugin: parity of random ±1 inputs. */
module org.example.infodyn.parity {
    requires org.infodyn.api;

    provides org.infodyn.api.task.Task with org.example.infodyn.parity.ParityTask;
}
