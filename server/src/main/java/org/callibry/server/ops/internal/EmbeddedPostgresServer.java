package org.callibry.server.ops.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run by this process with its data in a persistent directory. Recovers from
 * an unclean stop of an earlier process: a postmaster left running (orphan) is shut down, a stale
 * {@code postmaster.pid} is removed, before the server is started again on the same data.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDir, EmbeddedPostgres postgres) {
        this.dataDir = dataDir;
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on {@code dataDir} (created and initialised when empty), binaries unpacked
     * under {@code workDir}; {@code port} 0 picks a free port.
     */
    public static EmbeddedPostgresServer start(Path dataDir, Path workDir, int port) {
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(workDir);
            recoverFromUncleanStop(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(workDir.toFile())
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // the library's defaults are for throw-away test databases; this one keeps real data
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100");
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedPostgresServer(dataDir, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl("postgres", database);
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The PID of the running postmaster, read from its lock file. */
    public Optional<Long> pid() {
        return readPid(dataDir.resolve("postmaster.pid"));
    }

    /** Stops PostgreSQL (fast shutdown: open sessions are ended, committed data is on disk). */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    /**
     * A {@code postmaster.pid} left in the data directory means the last process did not stop
     * PostgreSQL. If that postmaster still runs on this directory it is an orphan: stop it. If the PID
     * is dead or now belongs to another program, the file is stale: remove it.
     */
    static void recoverFromUncleanStop(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        Optional<Long> pid = readPid(pidFile);
        if (pid.isEmpty()) {
            Files.deleteIfExists(pidFile);
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(EmbeddedPostgresServer::running);
        if (process.isPresent() && isPostmasterOf(process.get(), dataDir)) {
            log.warn("Found PostgreSQL (pid {}) still running on {} after an unclean stop: shutting it down",
                    pid.get(), dataDir);
            stop(process.get());
        } else {
            log.warn("Removing stale {} (pid {} is not a running PostgreSQL on this directory)", pidFile, pid.get());
        }
        Files.deleteIfExists(pidFile);
    }

    private static boolean isPostmasterOf(ProcessHandle process, Path dataDir) {
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            String args = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
            return args.contains("postgres") && args.contains(dataDir.toString());
        } catch (IOException e) {
            // no /proc (not Linux): trust the command name
            return process.info().command().map(c -> c.endsWith("postgres")).orElse(false);
        }
    }

    private static void stop(ProcessHandle postmaster) {
        // SIGTERM is PostgreSQL's "smart" shutdown: the dead JVM's sessions are gone, so it ends promptly
        postmaster.destroy();
        if (!awaitExit(postmaster, ORPHAN_STOP_WAIT)) {
            log.warn("PostgreSQL pid {} did not stop in {}; killing it", postmaster.pid(), ORPHAN_STOP_WAIT);
            postmaster.destroyForcibly();
            if (!awaitExit(postmaster, Duration.ofSeconds(10))) {
                throw new IllegalStateException("PostgreSQL pid " + postmaster.pid() + " still runs on the data directory");
            }
        }
    }

    /** Waits until the process has exited; a zombie (exited, not yet reaped by its parent) counts as exited. */
    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running(process)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !running(process);
            }
        }
        return true;
    }

    /** Alive and not a zombie: an orphan's exit is reaped by PID 1, which may take a while in containers. */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return process.isAlive();
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
