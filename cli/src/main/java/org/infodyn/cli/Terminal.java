package org.infodyn.cli;

/** Whether output goes to a person at a terminal (progress redraws) or to a file or pipe (plain lines). */
final class Terminal {
    private Terminal() {
    }

    static boolean isInteractive() {
        String force = System.getenv("INFODYN_PROGRESS");
        if (force != null) {
            return force.equals("tty");
        }
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }
}
