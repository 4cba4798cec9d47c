package org.callibry.server.cdr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallEnded.Disposition;
import org.callibry.server.storage.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The writer against a real PostgreSQL that the test stops and starts again:
 * <ul>
 * <li>published calls arrive in batches, with duration, tenant and disposition;</li>
 * <li>calls of an outage are spooled to disk and written once the database is back, spool emptied;</li>
 * <li>a spool left by a stopped process is written at start-up, a cut line set aside, and records
 *     already committed before the "crash" are not doubled;</li>
 * <li>a full queue spills to the spool instead of dropping;</li>
 * <li>a graceful stop writes what is still queued;</li>
 * <li>a month without a partition goes to cdr_default and moves into the partition made later;</li>
 * <li>a row the database refuses is set aside in rejected/ and the rest of its batch is written.</li>
 * </ul>
 */
class CdrWriterIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path binaries;

    @TempDir
    Path dir;

    private TestDatabase database;
    private HikariDataSource dataSource;
    private final List<CdrWriter> writers = new ArrayList<>();
    private SimpleMeterRegistry meters;

    @BeforeEach
    void database() {
        database = new TestDatabase(dir.resolve("pgdata"), binaries);
        dataSource = database.dataSource();
    }

    @AfterEach
    void close() {
        writers.forEach(CdrWriter::stop);
        database.close();
    }

    private CdrWriter writer(int queueCapacity, Duration flushInterval) {
        meters = new SimpleMeterRegistry();
        CdrProperties p = new CdrProperties(100, flushInterval, queueCapacity, dir.resolve("spool"), Duration.ofMillis(300), 1,
                10_000, Duration.ofSeconds(30));
        CdrWriter w = new CdrWriter(dataSource, p, meters);
        writers.add(w);
        return w;
    }

    private CdrWriter writer() {
        return writer(1000, Duration.ofMillis(50));
    }

    private static CdrRecord call(int i, Instant started) {
        boolean answered = i % 3 != 0;
        return CdrRecord.of(new CallEnded("call-" + i + "@test", "1001", "2" + i, "1001", "2" + i, "192.0.2.1:5060",
                "sip:2" + i + "@192.0.2.9", "main", i % 2 == 0 ? 42L : null, started,
                answered ? started.plusSeconds(2) : null, started.plusSeconds(62), answered ? Disposition.ANSWERED : Disposition.BUSY,
                answered ? 200 : 486, answered ? "BYE from callee" : "486 Busy Here"), Instant.now());
    }

    private static List<CdrRecord> calls(int from, int count) {
        Instant now = Instant.now().minusSeconds(3600);
        List<CdrRecord> list = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            list.add(call(i, now.plusMillis(i)));
        }
        return list;
    }

    private long rows() {
        return JdbcClient.create(dataSource).sql("select count(*) from cdr").query(Long.class).single();
    }

    /** {@link #rows()}, or -1 while the pool still hands out a connection the restart killed. */
    private long rowsAfterRestart() {
        try {
            return rows();
        } catch (DataAccessException e) {
            return -1;
        }
    }

    private double counter(String name) {
        return meters.counter(name).count();
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("within %s: %s", TIMEOUT, what).isTrue();
            Thread.sleep(50);
        }
    }

    @Test
    void publishedCallsArriveInBatches() throws Exception {
        CdrWriter w = writer(2000, Duration.ofMillis(50));
        w.start();
        Instant started = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        w.on(new CallEnded("abc@host", "1001", "1002", "1001", "+3211002", "192.0.2.1:5060", "sip:1002@192.0.2.7",
                "local", 42L, started, started.plusSeconds(3), started.plusSeconds(93).plusMillis(500), Disposition.ANSWERED, 200,
                "BYE from callee"));
        calls(0, 1233).forEach(w::offer);
        await("1234 rows", () -> rows() == 1234);
        // the counter moves just after the batch commits, so it may trail the rows by a moment
        await("1234 counted as written", () -> counter("callibry.cdr.records.written") == 1234);
        assertThat(counter("callibry.cdr.records.spooled")).isZero();

        var row = JdbcClient.create(dataSource).sql("select duration_ms, tenant_id, disposition, b_number_routed, started_at,"
                + " tableoid::regclass::text as part from cdr where call_id = 'abc@host'").query().singleRow();
        assertThat(row).containsEntry("duration_ms", 90_500L).containsEntry("tenant_id", 42L).containsEntry("disposition", "ANSWERED")
                .containsEntry("b_number_routed", "+3211002")
                .containsEntry("part", CdrPartitions.name(YearMonth.from(started.atOffset(ZoneOffset.UTC))));
        YearMonth next = YearMonth.now(ZoneOffset.UTC).plusMonths(1);
        assertThat(JdbcClient.create(dataSource).sql("select to_regclass(?) is not null").param(CdrPartitions.name(next))
                .query(Boolean.class).single()).as("next month's partition made ahead").isTrue();
    }

    @Test
    void callsOfAnOutageAreSpooledAndWrittenWhenTheDatabaseIsBack() throws Exception {
        CdrWriter w = writer();
        w.start();
        calls(0, 10).forEach(w::offer);
        await("the first 10 rows", () -> rows() == 10);

        database.stop();
        List<CdrRecord> duringOutage = calls(10, 50);
        duringOutage.forEach(w::offer);
        await("50 records spooled", () -> counter("callibry.cdr.records.spooled") == 50);
        assertThat(gauge("callibry.cdr.queue.size")).isZero();
        assertThat(gauge("callibry.cdr.spool.records")).isEqualTo(50);
        long spooledLines = 0;
        for (Path s : segments()) {
            spooledLines += Files.readAllLines(s).size();
        }
        assertThat(spooledLines).as("on disk, not only in memory").isEqualTo(50);

        database.restart();
        await("all 60 rows after the outage", () -> rowsAfterRestart() == 60);
        await("the spool emptied", () -> gauge("callibry.cdr.spool.records") == 0);
        assertThat(segments()).isEmpty();
        assertThat(JdbcClient.create(dataSource).sql("select count(*) from cdr where id in (:ids)")
                .param("ids", duringOutage.stream().map(CdrRecord::id).toList()).query(Long.class).single()).isEqualTo(50);
        assertThat(counter("callibry.cdr.records.written")).isEqualTo(60);
    }

    @Test
    void aSpoolLeftOnDiskIsWrittenAtStartUpWithoutDoubles() throws Exception {
        List<CdrRecord> records = calls(0, 30);
        // the first five were committed just before the process died, before it could delete their segment
        new CdrStore(dataSource, new CdrPartitions(dataSource, 0, java.time.Clock.systemUTC())).insert(records.subList(0, 5));
        database.stop();

        CdrWriter first = writer();
        first.start();
        records.forEach(first::offer);
        first.stop();
        assertThat(counter("callibry.cdr.records.spooled")).isEqualTo(30);
        Path segment = segments().getFirst();
        Files.writeString(segment, "{\"id\":\"019", java.nio.file.StandardOpenOption.APPEND); // cut short by the crash

        database.restart();
        CdrWriter second = writer();
        assertThat(gauge("callibry.cdr.spool.records")).isEqualTo(31);
        second.start();
        await("the 30 spooled records written", () -> rowsAfterRestart() == 30);
        await("the spool emptied", () -> gauge("callibry.cdr.spool.records") == 0);
        assertThat(segments()).isEmpty();
        assertThat(counter("callibry.cdr.records.written")).as("new rows only").isEqualTo(25);
        try (Stream<Path> rejected = Files.list(dir.resolve("spool/rejected"))) {
            assertThat(rejected.toList()).hasSize(1);
        }
    }

    @Test
    void aFullQueueSpillsToTheSpoolInsteadOfDropping() throws Exception {
        CdrWriter w = writer(5, Duration.ofMillis(50));
        calls(0, 20).forEach(w::offer);
        assertThat(gauge("callibry.cdr.queue.size")).isEqualTo(5);
        assertThat(counter("callibry.cdr.records.spooled")).isEqualTo(15);
        w.start();
        await("all 20 rows", () -> rows() == 20);
        await("the spool emptied", () -> gauge("callibry.cdr.spool.records") == 0);
    }

    @Test
    void aGracefulStopWritesWhatIsQueued() {
        CdrWriter w = writer(1000, Duration.ofSeconds(30));
        w.start();
        calls(0, 250).forEach(w::offer);
        w.stop();
        assertThat(rows()).isEqualTo(250);
        assertThat(gauge("callibry.cdr.queue.size")).isZero();
    }

    @Test
    void aMonthWithoutPartitionGoesToTheDefaultAndMovesIntoThePartitionMadeLater() throws Exception {
        CdrWriter w = writer();
        w.start();
        CdrRecord old = call(1, Instant.parse("2019-05-10T08:00:00Z"));
        w.offer(old);
        await("the 2019 row", () -> rows() == 1);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        String partitionOf = "select tableoid::regclass::text from cdr where id = ?";
        assertThat(jdbc.sql(partitionOf).param(old.id()).query(String.class).single()).isEqualTo("cdr_default");

        assertThat(w.partitions().ensure(YearMonth.of(2019, 5))).isTrue();
        assertThat(w.partitions().ensure(YearMonth.of(2019, 5))).isFalse();
        assertThat(jdbc.sql(partitionOf).param(old.id()).query(String.class).single()).isEqualTo("cdr_p2019_05");
        assertThat(jdbc.sql("select count(*) from cdr_default").query(Long.class).single()).isZero();
        CdrRecord later = call(2, Instant.parse("2019-05-31T23:59:59Z"));
        w.offer(later);
        await("the second 2019 row", () -> rows() == 2);
        assertThat(jdbc.sql(partitionOf).param(later.id()).query(String.class).single()).isEqualTo("cdr_p2019_05");
        assertThat(jdbc.sql("select count(*) from cdr where started_at >= '2019-05-01Z' and lower(a_number) like '100%'")
                .query(Long.class).single()).as("the moved partition has its indexes").isEqualTo(2);
    }

    @Test
    void aRowTheDatabaseRefusesIsSetAsideAndTheRestOfItsBatchWritten() throws Exception {
        CdrWriter w = writer(1000, Duration.ofMillis(300));
        List<CdrRecord> batch = calls(0, 3);
        CdrRecord good = batch.get(1);
        // a NUL character is refused by PostgreSQL (CdrRecord.of removes them; this one got past it)
        CdrRecord bad = new CdrRecord(UUID.randomUUID(), "bad", "1", "2", null, null, null, null, null, null, good.startedAt(),
                null, good.endedAt(), 0, Disposition.FAILED, 500, "nul \0 here");
        batch.set(1, bad);
        batch.forEach(w::offer);
        w.start();
        await("the two good rows", () -> rows() == 2);
        assertThat(counter("callibry.cdr.records.rejected")).isEqualTo(1);
        try (Stream<Path> rejected = Files.list(dir.resolve("spool/rejected"))) {
            assertThat(rejected.toList()).singleElement().satisfies(f -> assertThat(Files.readString(f)).contains(bad.id().toString()));
        }
    }
}
