package org.callibry.server.ops.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL on a persistent directory:
 * data survives a restart; a JVM killed with SIGKILL leaves an orphan postmaster that the next start
 * stops; a stale postmaster.pid naming a live non-PostgreSQL process is removed.
 */
class EmbeddedPostgresServerIT {
    @TempDir
    Path dir;

    @Test
    void keepsDataAcrossRestarts() throws Exception {
        try (EmbeddedPostgresServer pg = start()) {
            sql(pg, "create table kept (v text)", "insert into kept values ('before restart')");
        }
        try (EmbeddedPostgresServer pg = start()) {
            assertThat(query(pg, "select v from kept")).isEqualTo("before restart");
        }
    }

    @Test
    void recoversWhenTheJvmWasKilledAndPostgresKeptRunning() throws Exception {
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                dir.resolve("data").toString(), dir.resolve("bin").toString())
                .redirectErrorStream(true).start();
        long postmaster;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
                // the child's log
            }
            assertThat(line).as("child started PostgreSQL").isNotNull();
            postmaster = Long.parseLong(line.substring(6).trim());
            child.destroyForcibly(); // SIGKILL: no shutdown hook, PostgreSQL is orphaned
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(EmbeddedPostgresServerAccess.running(postmaster)).isTrue();

        try (EmbeddedPostgresServer pg = start()) {
            assertThat(query(pg, "select v from kept")).isEqualTo("written by the killed process");
            assertThat(pg.pid()).isPresent().get().isNotEqualTo(postmaster);
        }
        assertThat(EmbeddedPostgresServerAccess.gone(postmaster)).isTrue();
    }

    @Test
    void removesAStalePidFileThatNamesAnotherLiveProcess() throws Exception {
        try (EmbeddedPostgresServer pg = start()) {
            sql(pg, "create table kept (v text)", "insert into kept values ('x')");
        }
        // as after a crash and a reboot where the old PID now belongs to some other program (here: this JVM)
        Files.writeString(dir.resolve("data/postmaster.pid"), ProcessHandle.current().pid() + "\n" + dir.resolve("data") + "\n");
        try (EmbeddedPostgresServer pg = start()) {
            assertThat(query(pg, "select v from kept")).isEqualTo("x");
        }
    }

    private EmbeddedPostgresServer start() {
        return EmbeddedPostgresServer.start(dir.resolve("data"), dir.resolve("bin"), 0);
    }

    private static void sql(EmbeddedPostgresServer pg, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres")); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static String query(EmbeddedPostgresServer pg, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Runs in a separate JVM: starts PostgreSQL, writes a row, says READY with the postmaster's PID, waits to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(Path.of(args[0]), Path.of(args[1]), 0);
            sql(pg, "create table kept (v text)", "insert into kept values ('written by the killed process')");
            System.out.println("READY " + pg.pid().orElseThrow());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
