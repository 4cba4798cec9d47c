package org.callibry.server.queuelog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.callibry.server.storage.MonthlyPartitions;
import org.callibry.server.storage.SpooledWriter;
import org.callibry.server.storage.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.util.FileSystemUtils;

/**
 * Not a test: the queue log writer benchmark of {@code docs/performance.md}. Offers queue events at
 * {@code writer.bench.rate} (200) a second to the production writer ({@link SpooledWriter} over
 * {@link QueueLogStore}, its production settings) on a slow database: every row costs
 * {@code writer.bench.row-ms} (2 ms, a trigger that sleeps) and every commit {@code writer.bench.commit-ms}
 * (150 ms more, the connection's commit delayed). Phase 1: {@code writer.bench.seconds} (60 s) of it;
 * phase 2: the same rate while the database is stopped for 15 s in the middle (spooled to disk, then
 * replayed). Prints how far behind the rows were written (the time from the offer to the commit), what
 * was spooled and whether anything was lost or doubled. Run it with
 * <pre>mvn -B -ntp -Pbench verify -pl server -am -Dit.test=QueueLogWriterBenchmark -Dexec.skip</pre>
 */
class QueueLogWriterBenchmark {
    private static final int RATE = Integer.getInteger("writer.bench.rate", 200);
    private static final int SECONDS = Integer.getInteger("writer.bench.seconds", 60);
    private static final double ROW_MS = Double.parseDouble(System.getProperty("writer.bench.row-ms", "2"));
    private static final long COMMIT_MS = Long.getLong("writer.bench.commit-ms", 150);
    private static final int OUTAGE_SECONDS = 15;

    private final StringBuilder report = new StringBuilder();
    private final ConcurrentLinkedQueue<Long> lagsMicros = new ConcurrentLinkedQueue<>();
    private final AtomicLong batches = new AtomicLong();
    private double spooledBefore;
    private double lostBefore;

    @Test
    void keepsUpWithASlowDatabase() throws Exception {
        Path dir = Path.of(System.getProperty("writer.bench.dir", "target/writer-bench"));
        FileSystemUtils.deleteRecursively(dir);
        try (TestDatabase database = new TestDatabase(dir.resolve("pgdata"), dir.resolve("pg-bin"))) {
            DataSource slow = slowCommits(database.dataSource());
            JdbcClient jdbc = JdbcClient.create(database.dataSource());
            jdbc.sql("create function bench_slow_row() returns trigger language plpgsql as"
                    + " $$ begin perform pg_sleep(" + ROW_MS / 1000 + "); return new; end $$").update();
            jdbc.sql("create trigger bench_slow_row before insert on queue_log for each row execute function bench_slow_row()")
                    .update();
            MonthlyPartitions partitions = new MonthlyPartitions(slow, "queue_log", "at", 2, Clock.systemUTC());
            partitions.ensureAhead();
            QueueLogStore store = new QueueLogStore(slow, partitions);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            SpooledWriter<QueueLogRecord> writer = new SpooledWriter<>(new SpooledWriter.Settings("queue log", "bench.queuelog",
                    "queue-log-writer", "queue-log", 500, Duration.ofMillis(200), 20_000, dir.resolve("spool"),
                    Duration.ofSeconds(5)), QueueLogRecord.class, measured(store), r -> r.id().toString(), meters);
            writer.start();

            line(String.format(Locale.ROOT, "Slow database: %.1f ms a row, %d ms more a commit; %d events/s offered.", ROW_MS,
                    COMMIT_MS, RATE));
            line("");
            line("| phase | offered | written | spooled | lost | batches | rows/batch | lag p50 | lag p99 | lag max |");
            line("|---|---|---|---|---|---|---|---|---|---|");
            long offered = offer(writer, SECONDS, null);
            awaitWritten(jdbc, offered, Duration.ofSeconds(60));
            phase("1: " + SECONDS + " s, slow database", offered, jdbc, meters);

            long before = offered;
            Runnable outage = () -> {
                database.stop();
                sleep(OUTAGE_SECONDS * 1000L);
                database.restart();
            };
            long more = offer(writer, 30, outage);
            long t0 = System.nanoTime();
            awaitWritten(jdbc, before + more, Duration.ofSeconds(120));
            double catchUp = (System.nanoTime() - t0) / 1e9;
            phase("2: 30 s, database stopped for " + OUTAGE_SECONDS + " s", more, jdbc, meters);
            writer.stop();
            long rows = jdbc.sql("select count(*) from queue_log").query(Long.class).single();
            long distinct = jdbc.sql("select count(distinct id) from queue_log").query(Long.class).single();
            line("");
            line(String.format(Locale.ROOT, "After the outage the spool was written %.1f s after the last offer; rows %,d of %,d"
                    + " offered, %,d distinct.", catchUp, rows, before + more, distinct));
            assertThat(rows).isEqualTo(before + more);
            assertThat(distinct).isEqualTo(rows);
            assertThat(meters.counter("bench.queuelog.records.lost").count()).isZero();
        } finally {
            System.out.println(report);
            Files.writeString(Path.of("target/queue-log-writer-benchmark.md"), report, StandardCharsets.UTF_8);
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    /** Offers {@code RATE} events a second for {@code seconds}; {@code midway} runs on its own thread after a third of it. */
    private long offer(SpooledWriter<QueueLogRecord> writer, int seconds, Runnable midway) throws InterruptedException {
        Thread side = null;
        long total = (long) RATE * seconds;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / RATE;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            if (midway != null && side == null && i >= total / 3) {
                side = Thread.ofPlatform().start(midway);
            }
            Instant now = Instant.now();
            writer.offer(new QueueLogRecord(SpooledWriter.timeOrderedId(now), now, 1, 1L, "call-" + i, "entry-" + i,
                    i % 4 == 0 ? "ENTERED" : i % 4 == 1 ? "OFFERED" : i % 4 == 2 ? "ANSWERED" : "ENDED", "+74950000000", 7L, 7L,
                    1, i % 60, null, null, ""));
        }
        if (side != null) {
            side.join();
        }
        return total;
    }

    private void phase(String what, long offered, JdbcClient jdbc, SimpleMeterRegistry meters) {
        Long[] lags = lagsMicros.toArray(Long[]::new);
        lagsMicros.clear();
        Arrays.sort(lags);
        long n = batches.getAndSet(0);
        double spooledNow = meters.counter("bench.queuelog.records.spooled").count();
        double lostNow = meters.counter("bench.queuelog.records.lost").count();
        double spooled = spooledNow - spooledBefore;
        double lost = lostNow - lostBefore;
        spooledBefore = spooledNow;
        lostBefore = lostNow;
        line(String.format(Locale.ROOT, "| %s | %,d | %,d | %,.0f | %,.0f | %,d | %.0f | %.0f ms | %.0f ms | %.0f ms |", what,
                offered, lags.length, spooled, lost, n, n == 0 ? 0.0 : (double) lags.length / n, pct(lags, 0.5), pct(lags, 0.99),
                pct(lags, 1.0)));
    }

    private static double pct(Long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] / 1000.0;
    }

    private void awaitWritten(JdbcClient jdbc, long rows, Duration max) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < until) {
            try {
                if (jdbc.sql("select count(*) from queue_log").query(Long.class).single() >= rows) {
                    return;
                }
            } catch (RuntimeException e) {
                // the database is restarting
            }
            Thread.sleep(200);
        }
    }

    /** The store, noting how long each row waited from its offer to the commit of its batch. */
    private SpooledWriter.Sink<QueueLogRecord> measured(QueueLogStore store) {
        return new SpooledWriter.Sink<>() {
            @Override
            public int insert(List<QueueLogRecord> rows) throws SQLException {
                int n = store.insert(rows);
                long now = Instant.now().toEpochMilli() * 1000;
                for (QueueLogRecord r : rows) {
                    lagsMicros.add(now - r.at().toEpochMilli() * 1000);
                }
                batches.incrementAndGet();
                return n;
            }

            @Override
            public boolean reachable() {
                return store.reachable();
            }

            @Override
            public boolean isBadData(Exception e) {
                return store.isBadData(e);
            }

            @Override
            public void maintain() throws SQLException {
                store.maintain();
            }
        };
    }

    /** A data source whose connections take {@code COMMIT_MS} longer to commit. */
    private static DataSource slowCommits(DataSource target) {
        return new DelegatingDataSource(target) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection c = super.getConnection();
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("commit")) {
                                sleep(COMMIT_MS);
                            }
                            try {
                                return method.invoke(c, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void line(String s) {
        report.append(s).append('\n');
        System.out.println(s);
    }
}
