package org.callibry.server.queuelog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.api.Caller;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.storage.MonthlyPartitions;
import org.callibry.server.storage.TestDatabase;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Kpis;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/**
 * Not a test: the KPI benchmark of {@code docs/performance.md}. Logs a year of queue calls
 * ({@code kpi.bench.calls}, 10,000,000: 80 % answered, 15 % abandoned, 5 % callbacks, in 50 queues
 * of 10 tenants, about 3.6 log rows a call) into {@code queue_log} on the embedded PostgreSQL with
 * its production settings, made by SQL in transactions of 500,000 calls (the writer's own path is
 * measured by {@code QueueLogWriterBenchmark}); rolls them up as the server does on its first start
 * ({@link KpiRollups}); then times {@code kpi.queues} and {@code kpi.agents} through the endpoint's
 * code for one tenant over 30 days: the last 30 days (the rollups, and the last day from the log), a
 * past month, and the same past month read from the log alone. Run it with
 * <pre>mvn -B -ntp -Pbench verify -pl server -am -Dit.test=QueueKpiBenchmark -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dexec.skip</pre>
 * Prints a Markdown table and writes it to {@code server/target/kpi-benchmark.md}. Needs ~16 GB of disk
 * in {@code kpi.bench.dir} (default {@code target/kpi-bench}); {@code -Dkpi.bench.keep=true} keeps the
 * database, and a later run with it only rolls up the hours since and times the queries.
 */
class QueueKpiBenchmark {
    private static final long CALLS = Long.getLong("kpi.bench.calls", 10_000_000L);
    private static final boolean KEEP = Boolean.getBoolean("kpi.bench.keep");
    private static final int RUNS = 21;
    private static final int QUEUES = 50;
    private static final int TENANTS = 10;
    private static final long TENANT = 3;
    private static final long CHUNK = 500_000;

    private static final String GENERATE = "insert into queue_log (id, at, tenant_id, queue_id, call_id, entry_id, event, caller,"
            + " agent_id, account_id, position, wait_seconds, detail)"
            + " select gen_random_uuid(), e.at, c.tenant, c.queue, c.call_id, c.call_id, e.event, c.caller, e.account, e.account,"
            + " 1, e.wait, ''"
            + " from (select 'c' || i as call_id, cast(:start as timestamptz) + i * cast(:step as bigint) * interval '1 microsecond'"
            + " as t, i % " + QUEUES + " + 1 as queue, (i % " + QUEUES + ") % " + TENANTS + " + 1 as tenant,"
            + " '+7495' || lpad((i % 100000)::text, 7, '0') as caller, 1000 + (i % 400) as account, random() as r,"
            + " floor(random() * random() * 180)::int as w, 20 + floor(random() * 400)::int as talk"
            + " from generate_series(cast(:lo as bigint), cast(:hi as bigint) - 1) i) c"
            + " cross join lateral ("
            + " select 'ENTERED' as event, c.t as at, 0 as wait, null::bigint as account"
            + " union all select 'OFFERED', c.t + interval '1 second', 1, c.account where c.r < 0.8"
            + " union all select 'ANSWERED', c.t + c.w * interval '1 second', c.w, c.account where c.r < 0.8"
            + " union all select 'ENDED', c.t + (c.w + c.talk) * interval '1 second', c.w, c.account where c.r < 0.8"
            + " union all select 'ABANDONED', c.t + c.w * interval '1 second', c.w, null where c.r >= 0.8 and c.r < 0.95"
            + " union all select 'CALLBACK_REQUESTED', c.t + c.w * interval '1 second', c.w, null where c.r >= 0.95) e";

    private final StringBuilder report = new StringBuilder();

    @Test
    void kpisOverAYear() throws Exception {
        Path dir = Path.of(System.getProperty("kpi.bench.dir", "target/kpi-bench"));
        if (!KEEP) {
            FileSystemUtils.deleteRecursively(dir);
        }
        try (TestDatabase database = new TestDatabase(dir.resolve("pgdata"), dir.resolve("pg-bin"))) {
            HikariDataSource ds = database.dataSource();
            JdbcClient jdbc = JdbcClient.create(ds);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            line("| what | result |");
            line("|---|---|");
            boolean reused = jdbc.sql("select count(*) > 0 from queue_log").query(Boolean.class).single();
            if (reused) {
                line(String.format(Locale.ROOT, "| the database of an earlier run (kpi.bench.keep) | %,d rows |",
                        jdbc.sql("select count(*) from queue_log").query(Long.class).single()));
            } else {
                generate(ds, jdbc, now);
            }

            Map<Long, QueueDirectory.Info> queues = new HashMap<>();
            for (long q = 1; q <= QUEUES; q++) {
                queues.put(q, new QueueDirectory.Info(q, (q - 1) % TENANTS + 1, "Q" + q, 20, 10, 5));
            }
            Supplier<QueueSums.Thresholds> thresholds = () -> QueueSums.Thresholds.of(queues.values());
            KpiRollups rollups = new KpiRollups(ds, thresholds, Clock.systemUTC());
            long t0 = System.nanoTime();
            int units = rollups.rollUp(Instant.now());
            double rollSeconds = (System.nanoTime() - t0) / 1e9;
            long buckets = jdbc.sql("select count(*) from queue_kpi_15m").query(Long.class).single();
            line(String.format(Locale.ROOT, "| %s (%d days and hours; %,d queue buckets in all) | %.0f s (%.2f s a period) |",
                    reused ? "roll-up of the periods since the earlier run" : "first roll-up of the year", units, buckets,
                    rollSeconds, rollSeconds / Math.max(1, units)));
            t0 = System.nanoTime();
            rollups.rollUp(Instant.now().plus(Duration.ofHours(1)));
            line(String.format(Locale.ROOT, "| the hourly roll-up after it | %.0f ms |", (System.nanoTime() - t0) / 1e6));
            String size = jdbc.sql("select pg_size_pretty(sum(pg_total_relation_size(c.oid))) from pg_class c"
                    + " join pg_inherits i on i.inhrelid = c.oid where i.inhparent = 'queue_log'::regclass").query(String.class).single();
            String rollupSize = jdbc.sql("select pg_size_pretty(pg_total_relation_size('queue_kpi_15m')"
                    + " + pg_total_relation_size('queue_agent_kpi_15m') + pg_total_relation_size('queue_agent_state_15m'))")
                    .query(String.class).single();
            line("| queue_log on disk / rollups on disk | " + size + " / " + rollupSize + " |");

            KpiEndpoint endpoint = new KpiEndpoint(jdbc, directoryOf(queues), accounts(), rollups);
            Caller admin = new Caller(1, "admin", Role.ADMIN, null);
            Instant pastFrom = LocalDate.now(ZoneOffset.UTC).minusDays(200).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant pastTo = pastFrom.plus(Duration.ofDays(30));
            Instant lastFrom = now.minus(Duration.ofDays(30));
            line("");
            line(String.format(Locale.ROOT, "| one tenant (%d queues, %,d calls a year), %d runs | calls | p50 | p95 | max |",
                    QUEUES / TENANTS, CALLS / TENANTS, RUNS));
            line("|---|---|---|---|---|");
            List<Kpis.QueueKpi> last = time("kpi.queues, the last 30 days (to now)", RUNS, () -> endpoint.queues(admin,
                    new Kpis.QueueParams(lastFrom, now, null, TENANT)));
            List<Kpis.QueueKpi> past = time("kpi.queues, a past month (midnight to midnight)", RUNS, () -> endpoint.queues(admin,
                    new Kpis.QueueParams(pastFrom, pastTo, null, TENANT)));
            time("kpi.agents, the last 30 days (to now), the tenant's 40 agents", RUNS, () -> endpoint.agents(admin,
                    new Kpis.AgentParams(lastFrom, now, null, TENANT)));
            Map<Long, QueueSums> fromLog = new HashMap<>();
            time("the same past month's queue sums from the log alone (no rollups)", 5, () -> {
                fromLog.clear();
                fromLog.putAll(QueueSums.fromLog(jdbc, pastFrom, pastTo, TENANT, null, thresholds.get()));
                return new ArrayList<>(fromLog.values());
            });
            if (Boolean.getBoolean("kpi.bench.explain")) {
                explain(jdbc, QueueSums.FROM_ROLLUPS, pastFrom, pastTo);
                explain(jdbc, AgentSums.ROLLED_COUNTS, pastFrom, pastTo);
                explain(jdbc, AgentSums.ROLLED_STATES, pastFrom, pastTo);
            }
            assertThat(last).isNotEmpty();
            for (Kpis.QueueKpi k : past) {
                QueueSums s = fromLog.get(k.queueId());
                assertThat(k.offered()).as("rollups and log agree for queue " + k.queueId()).isEqualTo(s.offered);
                assertThat(k.answered()).isEqualTo(s.answered);
                assertThat(k.answeredWithinServiceLevel()).isEqualTo(s.withinSl);
                assertThat(k.maxWait()).isEqualTo(s.waitMax);
            }
        } finally {
            System.out.println(report);
            Files.writeString(Path.of("target/kpi-benchmark.md"), report, StandardCharsets.UTF_8);
            if (!KEEP) {
                FileSystemUtils.deleteRecursively(dir);
            }
        }
    }

    /** A year of queue calls up to an hour ago, in transactions of {@code CHUNK} calls. */
    private void generate(DataSource ds, JdbcClient jdbc, Instant now) throws SQLException {
        Instant start = now.minus(Duration.ofDays(365));
        MonthlyPartitions partitions = new MonthlyPartitions(ds, "queue_log", "at", 2, Clock.systemUTC());
        List<Instant> months = new ArrayList<>();
        for (Instant m = start; m.isBefore(now); m = m.plus(Duration.ofDays(27))) {
            months.add(m);
        }
        months.add(now);
        partitions.ensureFor(months);
        partitions.ensureAhead();
        long stepMicros = Duration.between(start, now.minus(Duration.ofHours(1))).toNanos() / 1000 / CALLS;
        long t0 = System.nanoTime();
        for (long lo = 0; lo < CALLS; lo += CHUNK) {
            long hi = Math.min(CALLS, lo + CHUNK);
            jdbc.sql(GENERATE).param("start", Timestamp.from(start)).param("step", stepMicros).param("lo", lo).param("hi", hi)
                    .update();
            System.out.printf(Locale.ROOT, "logged %,d calls in %.0f s%n", hi, (System.nanoTime() - t0) / 1e9);
        }
        long rows = jdbc.sql("select count(*) from queue_log").query(Long.class).single();
        line(String.format(Locale.ROOT, "| log a year: %,d queue calls, %,d rows (SQL, 500,000 calls a transaction) | %.0f s |",
                CALLS, rows, (System.nanoTime() - t0) / 1e9));
        t0 = System.nanoTime();
        jdbc.sql("vacuum analyze queue_log").update();
        line(String.format(Locale.ROOT, "| vacuum analyze | %.0f s |", (System.nanoTime() - t0) / 1e9));
    }

    /** Prints the plan of a rollup query for the tenant over {@code [from, to)} ({@code -Dkpi.bench.explain=true}). */
    private static void explain(JdbcClient jdbc, String sql, Instant from, Instant to) {
        System.out.println(sql);
        jdbc.sql("explain (analyze, buffers) " + sql).param("timeFrom", Timestamp.from(from)).param("timeTo", Timestamp.from(to))
                .param("tenant", TENANT).param("queue", null).query((rs, n) -> rs.getString(1)).list()
                .forEach(System.out::println);
    }

    private static QueueDirectory directoryOf(Map<Long, QueueDirectory.Info> queues) {
        return new QueueDirectory() {
            @Override
            public Map<Long, Info> queues(Collection<Long> ids) {
                Map<Long, Info> out = new HashMap<>();
                ids.forEach(id -> out.put(id, queues.get(id)));
                return out;
            }

            @Override
            public Map<Long, Info> queuesOf(Long tenant) {
                Map<Long, Info> out = new HashMap<>();
                queues.values().stream().filter(i -> tenant == null || i.tenantId() == tenant).forEach(i -> out.put(i.id(), i));
                return out;
            }

            @Override
            public java.util.Optional<String> number(long queueId) {
                return java.util.Optional.of("5" + queueId);
            }
        };
    }

    /** Account {@code 1000 + n} is an agent of tenant {@code n % 10 + 1}, as {@link #GENERATE} makes them. */
    private static SipDirectory accounts() {
        SipDirectory directory = Mockito.mock(SipDirectory.class);
        Mockito.when(directory.accounts(Mockito.<Collection<Long>>any())).thenAnswer(call -> {
            Map<Long, SipDirectory.Credentials> out = new HashMap<>();
            for (Long id : call.<Collection<Long>>getArgument(0)) {
                out.put(id, new SipDirectory.Credentials(id, (id - 1000) % TENANTS + 1, 1, "bench", "a" + id, "", "", "", true));
            }
            return out;
        });
        return directory;
    }

    private <T extends List<?>> T time(String what, int runs, Supplier<T> run) {
        run.get(); // warm
        long[] us = new long[runs];
        T result = null;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            result = run.get();
            us[i] = (System.nanoTime() - t) / 1000;
        }
        Arrays.sort(us);
        long calls = 0;
        for (Object o : result) {
            calls += o instanceof Kpis.QueueKpi k ? k.offered() : o instanceof Kpis.AgentKpi a ? a.offered()
                    : o instanceof QueueSums s ? s.offered : 0;
        }
        int p95 = (int) Math.ceil(runs * 0.95) - 1;
        line(String.format(Locale.ROOT, "| %s | %,d | %.0f ms | %.0f ms | %.0f ms |", what + (runs == RUNS ? "" : " (" + runs
                + " runs)"), calls, us[runs / 2] / 1000.0, us[p95] / 1000.0, us[runs - 1] / 1000.0));
        return result;
    }

    private void line(String s) {
        report.append(s).append('\n');
        System.out.println(s);
    }
}
