package org.callibry.server.cdr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.callibry.server.api.Caller;
import org.callibry.server.calls.CallEnded.Disposition;
import org.callibry.server.storage.TestDatabase;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Cdrs;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/**
 * Not a test: the CDR benchmark of {@code docs/performance.md}. Inserts {@code cdr.bench.rows}
 * (1,000,000) records spread over six months through the writer's own insert path (batches of 500),
 * then times typical searches through {@code cdr.search}'s code and two CSV exports, on the embedded
 * PostgreSQL with its production settings (fsync and synchronous commit on). Run it with
 * <pre>mvn -B -ntp -Pbench verify -pl server -am</pre>
 * (profile {@code bench}: this class only). Prints a Markdown table and writes it to
 * {@code server/target/cdr-benchmark.md}.
 */
class CdrSearchBenchmark {
    private static final int ROWS = Integer.getInteger("cdr.bench.rows", 1_000_000);
    private static final int RUNS = 11;
    private static final int TENANTS = 50;
    private static final int A_NUMBERS = 20_000;
    private static final int B_NUMBERS = 200_000;
    private static final int ROUTES = 30;
    private static final Caller ADMIN = new Caller(1, "admin", Role.ADMIN, null);

    private final StringBuilder report = new StringBuilder();
    private JdbcClient jdbc;

    @Test
    void insertAndSearch() throws Exception {
        Path dir = Files.createTempDirectory("cdr-bench");
        try (TestDatabase database = new TestDatabase(dir.resolve("pgdata"), dir.resolve("pg-bin"))) {
            HikariDataSource ds = database.dataSource();
            JdbcClient jdbc = JdbcClient.create(ds);
            this.jdbc = jdbc;

            Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Instant start = end.minus(180, ChronoUnit.DAYS);
            CdrPartitions partitions = new CdrPartitions(ds, 2, Clock.systemUTC());
            for (YearMonth m = YearMonth.from(start.atOffset(ZoneOffset.UTC)); !m.isAfter(YearMonth.now(ZoneOffset.UTC)); m = m.plusMonths(1)) {
                partitions.ensure(m);
            }
            partitions.ensureAhead();
            CdrStore store = new CdrStore(ds, partitions);

            line("| what | matches | median | max |");
            line("|---|---|---|---|");
            long t0 = System.nanoTime();
            SplittableRandom random = new SplittableRandom(20261127);
            long step = Duration.between(start, end).toMillis() * 1000 / ROWS; // µs between calls
            List<CdrRecord> batch = new ArrayList<>(500);
            for (int i = 0; i < ROWS; i++) {
                batch.add(record(random, start.plus(i * step + random.nextLong(step), ChronoUnit.MICROS)));
                if (batch.size() == 500) {
                    store.insert(batch);
                    batch.clear();
                }
            }
            store.insert(batch);
            double seconds = (System.nanoTime() - t0) / 1e9;
            line(String.format(Locale.ROOT, "| insert in batches of 500 (writer path, one thread) | %,d | %.1f s total, %,.0f rows/s | |",
                    ROWS, seconds, ROWS / seconds));
            t0 = System.nanoTime();
            jdbc.sql("vacuum analyze cdr").update();
            line(String.format(Locale.ROOT, "| vacuum analyze | | %.1f s | |", (System.nanoTime() - t0) / 1e9));
            assertThat(jdbc.sql("select count(*) from cdr").query(Long.class).single()).isEqualTo(ROWS);

            CdrEndpoint endpoint = new CdrEndpoint(jdbc, new CdrProperties(500, Duration.ofMillis(200), 10_000,
                    dir.resolve("spool"), Duration.ofSeconds(5), 2, 10_000, Duration.ofSeconds(30)), callIds -> java.util.Map.of());
            Caller customer = new Caller(2, "customer", Role.CUSTOMER, 7L);
            String someA = "7495" + String.format("%07d", 1234);
            Instant dayFrom = end.minus(3, ChronoUnit.DAYS);
            Instant monthFrom = end.minus(30, ChronoUnit.DAYS);

            search("newest first, no filter (first page of 50 + total)", endpoint, ADMIN, params(Cdrs.Filter.none(), 0));
            search("one tenant, no other filter (customer)", endpoint, customer, params(Cdrs.Filter.none(), 0));
            search("A-number prefix, 8 digits", endpoint, ADMIN, params(filter(someA.substring(0, 8), null, null,
                    null, null, null, null, null), 0));
            search("A-number exact", endpoint, ADMIN, params(filter(someA, null, Cdrs.Match.EXACT, null, null, null, null,
                    null), 0));
            search("B-number prefix, 9 digits", endpoint, ADMIN, params(filter(null, "781200012", null, null, null, null,
                    null, null), 0));
            search("A-number substring (4 digits) over 30 days", endpoint, ADMIN, params(filter("1234", null,
                    Cdrs.Match.SUBSTRING, monthFrom, null, null, null, null), 0));
            search("A-number substring (4 digits), all 6 months", endpoint, ADMIN, params(filter("1234", null,
                    Cdrs.Match.SUBSTRING, null, null, null, null, null), 0));
            search("FAILED calls of the last 3 days", endpoint, ADMIN, params(filter(null, null, null, dayFrom, null,
                    Cdrs.Disposition.FAILED, null, null), 0));
            search("one route, last 30 days", endpoint, ADMIN, params(filter(null, null, null, monthFrom, null, null,
                    "route-07", null), 0));
            search("tenant + BUSY + last 30 days (customer)", endpoint, customer, params(filter(null, null, null,
                    monthFrom, null, Cdrs.Disposition.BUSY, null, null), 0));
            search("deep page: offset 10,000, no filter", endpoint, ADMIN, params(Cdrs.Filter.none(), 10_000));

            CdrExport export = new CdrExport(ds);
            export("CSV export: one tenant, last 30 days", export, CdrQuery.where(customer, filter(null, null, null, monthFrom, null,
                    null, null, null)));
            export("CSV export: everything, last 30 days", export, CdrQuery.where(ADMIN, filter(null, null, null, monthFrom, null,
                    null, null, null)));

            String size = jdbc.sql("select pg_size_pretty(sum(pg_table_size(relid))) || ' table, '"
                    + " || pg_size_pretty(sum(pg_indexes_size(relid))) || ' indexes' from pg_partition_tree('cdr')")
                    .query(String.class).single();
            line("");
            line("Size on disk: " + size + " (" + String.format(Locale.ROOT, "%,d", ROWS) + " rows).");
        } finally {
            FileSystemUtils.deleteRecursively(dir);
        }
        Files.writeString(Path.of("target", "cdr-benchmark.md"), report, StandardCharsets.UTF_8);
    }

    private static CdrRecord record(SplittableRandom r, Instant started) {
        int roll = r.nextInt(100);
        Disposition d = roll < 60 ? Disposition.ANSWERED : roll < 75 ? Disposition.NO_ANSWER : roll < 85 ? Disposition.BUSY
                : roll < 95 ? Disposition.CANCELLED : Disposition.FAILED;
        Instant answered = d == Disposition.ANSWERED ? started.plusMillis(2000 + r.nextInt(20_000)) : null;
        Instant ended = answered != null ? answered.plusMillis(r.nextInt(600_000)) : started.plusMillis(500 + r.nextInt(30_000));
        String a = "7495" + String.format("%07d", r.nextInt(A_NUMBERS));
        String b = "7812" + String.format("%07d", r.nextInt(B_NUMBERS));
        int code = switch (d) {
            case ANSWERED -> 200;
            case NO_ANSWER -> 480;
            case BUSY -> 486;
            case CANCELLED -> 487;
            case FAILED -> 503;
        };
        Long tenant = r.nextInt(20) == 0 ? null : (long) (1 + r.nextInt(TENANTS));
        return new CdrRecord(CdrRecord.timeOrderedId(started), r.nextLong() + "@192.0.2.1", a, b, a, "+" + b,
                "192.0.2." + (1 + r.nextInt(200)) + ":5060", "sip:" + b + "@198.51.100.7:5060",
                String.format("route-%02d", r.nextInt(ROUTES)), tenant, started, answered, ended,
                answered == null ? 0 : Duration.between(answered, ended).toMillis(), d, code,
                d == Disposition.ANSWERED ? "BYE from callee" : code + " final response");
    }

    private static Cdrs.Filter filter(String from, String to, Cdrs.Match match, Instant timeFrom, Instant timeTo,
                                      Cdrs.Disposition disposition, String route, Long tenantId) {
        return new Cdrs.Filter(from, to, match, timeFrom, timeTo, disposition, route, tenantId);
    }

    private static Cdrs.SearchParams params(Cdrs.Filter filter, int offset) {
        return Cdrs.SearchParams.of(filter, offset, 50);
    }

    /** Times {@code cdr.search} with these params; the matches column is an exact count, made outside the timing. */
    private void search(String what, CdrEndpoint endpoint, Caller caller, Cdrs.SearchParams params) {
        endpoint.search(caller, params); // warm-up: JIT, plan cache, buffers
        long[] us = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            endpoint.search(caller, params);
            us[i] = (System.nanoTime() - t0) / 1_000;
        }
        Arrays.sort(us);
        var where = CdrQuery.where(caller, params.filter());
        long matches = jdbc.sql("select count(*) from cdr" + where.sql()).params(where.params()).query(Long.class).single();
        line(String.format(Locale.ROOT, "| %s | %,d | %.1f ms | %.1f ms |", what, matches, us[RUNS / 2] / 1000.0, us[RUNS - 1] / 1000.0));
    }

    private void export(String what, CdrExport export, org.callibry.server.storage.Sql.Where where) throws IOException {
        long[] chars = {0};
        Writer sink = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
                chars[0] += len;
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        export.write(where, sink);
        long t0 = System.nanoTime();
        long rows = export.write(where, sink);
        double s = (System.nanoTime() - t0) / 1e9;
        line(String.format(Locale.ROOT, "| %s | %,d | %.2f s (%,.0f rows/s) | |", what, rows, s, rows / s));
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
