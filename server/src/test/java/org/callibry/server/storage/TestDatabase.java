package org.callibry.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.callibry.server.ops.internal.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;

/**
 * For tests and benchmarks of data code (CDR, queue log): a real PostgreSQL (the embedded server of
 * {@code ops}, its production settings) in a directory of the test, migrated by Flyway, with a pool
 * that notices an outage within a second.
 * {@link #stop()} and {@link #restart()} take the server away and bring it back on the same port
 * and data, as a database restart does.
 */
public final class TestDatabase implements AutoCloseable {
    private final Path dataDir;
    private final Path binaries;
    private final HikariDataSource dataSource = new HikariDataSource();
    private EmbeddedPostgresServer server;
    private final int port;

    public TestDatabase(Path dataDir, Path binaries) {
        this.dataDir = dataDir;
        this.binaries = binaries;
        this.server = EmbeddedPostgresServer.start(dataDir, binaries, 0);
        this.port = server.port();
        dataSource.setJdbcUrl(server.jdbcUrl("postgres"));
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(4);
        dataSource.setConnectionTimeout(1000);
        dataSource.setValidationTimeout(500);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** Stops PostgreSQL (fast shutdown: open connections are cut). */
    public void stop() {
        server.close();
    }

    /** Starts PostgreSQL again on the same data directory and port. */
    public void restart() {
        server = EmbeddedPostgresServer.start(dataDir, binaries, port);
    }

    @Override
    public void close() {
        dataSource.close();
        server.close();
    }
}
