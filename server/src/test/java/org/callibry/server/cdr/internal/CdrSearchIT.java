package org.callibry.server.cdr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallEnded.Disposition;
import org.callibry.server.storage.TestDatabase;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Cdrs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code cdr.search} against a real PostgreSQL with a small count limit (5) and a one-second query
 * timeout: a short page is its own total; a full page counts up to the limit and says when more
 * match; a search that runs too long is stopped and answered with a hint to narrow it.
 */
class CdrSearchIT {
    private static final Caller ADMIN = new Caller(1, "admin", Role.ADMIN, null);

    @TempDir
    static Path binaries;

    @TempDir
    Path dir;

    private TestDatabase database;
    private CdrEndpoint endpoint;

    @BeforeEach
    void twelveCalls() throws Exception {
        database = new TestDatabase(dir.resolve("pgdata"), binaries);
        endpoint = new CdrEndpoint(JdbcClient.create(database.dataSource()), new CdrProperties(500, Duration.ofMillis(200), 100,
                dir.resolve("spool"), Duration.ofSeconds(1), 1, 5, Duration.ofSeconds(1)), callIds -> java.util.Map.of());
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS);
        List<CdrRecord> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(CdrRecord.of(new CallEnded("c" + i, (i < 3 ? "3" : "4") + "00" + i, "1", null, null, null, null, null,
                    null, t0.plusSeconds(i), null, t0.plusSeconds(i + 5), Disposition.NO_ANSWER, 480, ""), Instant.now()));
        }
        new CdrStore(database.dataSource(), new CdrPartitions(database.dataSource(), 1, Clock.systemUTC())).insert(calls);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private Cdrs.SearchResult search(String from, int offset, int limit) {
        return endpoint.search(ADMIN, Cdrs.SearchParams.of(new Cdrs.Filter(from, null, null, null, null, null, null, null),
                offset, limit));
    }

    @Test
    void aShortPageIsItsOwnTotal() {
        Cdrs.SearchResult all = search(null, 0, 50);
        assertThat(all.items()).hasSize(12);
        assertThat(all.total()).isEqualTo(12);
        assertThat(all.totalExact()).isTrue();
        Cdrs.SearchResult tail = search(null, 10, 5);
        assertThat(tail.items()).extracting(Cdrs.Cdr::callId).containsExactly("c1", "c0");
        assertThat(tail.total()).isEqualTo(12);
        assertThat(tail.totalExact()).isTrue();
    }

    @Test
    void aFullPageCountsUpToTheLimit() {
        Cdrs.SearchResult broad = search(null, 0, 3);
        assertThat(broad.items()).extracting(Cdrs.Cdr::callId).containsExactly("c11", "c10", "c9");
        assertThat(broad.total()).isEqualTo(5);
        assertThat(broad.totalExact()).as("more than 5 match").isFalse();
        Cdrs.SearchResult narrow = search("3", 0, 2);
        assertThat(narrow.total()).isEqualTo(3);
        assertThat(narrow.totalExact()).isTrue();
        Cdrs.SearchResult past = search(null, 20, 3);
        assertThat(past.items()).isEmpty();
        assertThat(past.totalExact()).isFalse();
    }

    @Test
    void aSearchThatRunsTooLongIsStoppedWithAHint() throws Exception {
        try (Connection blocker = database.dataSource().getConnection(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // the search waits for this lock until its timeout cancels it, as a too broad scan would run on
            s.execute("lock table cdr in access exclusive mode");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> search(null, 0, 3)).isInstanceOfSatisfying(RpcException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                assertThat(e.getMessage()).contains("took longer than 1 s", "timeFrom/timeTo");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            blocker.rollback();
        }
    }
}
