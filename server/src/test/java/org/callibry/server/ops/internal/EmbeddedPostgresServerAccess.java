package org.callibry.server.ops.internal;

/** Lets tests outside this package ask whether a PostgreSQL process still runs (zombies count as gone). */
public final class EmbeddedPostgresServerAccess {
    private EmbeddedPostgresServerAccess() {
    }

    public static boolean running(long pid) {
        return ProcessHandle.of(pid).map(EmbeddedPostgresServer::running).orElse(false);
    }

    /** True once the process is gone, waiting up to 15 s. */
    public static boolean gone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (running(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
