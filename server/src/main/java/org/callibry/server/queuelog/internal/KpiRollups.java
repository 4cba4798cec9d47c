package org.callibry.server.queuelog.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.callibry.server.acd.QueueDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the KPI rollups ({@code queue_kpi_15m}, {@code queue_agent_kpi_15m}, {@code queue_agent_state_15m}):
 * the log's sums in 15-minute buckets, a day behind the log, since a queue call counts in the bucket where
 * it entered and its last events (the end of a long talk) may come up to a day later. Once a minute it
 * rolls up the whole days, then the whole hours, that became final ({@link #LAG} old), each in one
 * transaction that moves {@code queue_kpi_state.rolled_to}; a first run starts at the log's first day.
 * Days that got rows after they were rolled up (a spool replayed after a long database outage: see
 * {@link QueueLogStore}) are rolled up again with the day before and the week after. One server rolls up at a time (an
 * advisory lock). {@link #split} tells the KPI queries which part of a range to read from the rollups.
 */
@Component
class KpiRollups implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(KpiRollups.class);
    static final Duration BUCKET = Duration.ofMinutes(15);
    /** A bucket is final this long after its end: a call's events span a day at most, plus the writer's delay. */
    static final Duration LAG = Duration.ofDays(1).plusMinutes(10);
    /** How far back the agent KPIs look for an agent's state at the start of a range ({@link AgentSums#STRETCHES}). */
    static final Duration STATE_LOOKBACK = Duration.ofDays(7);
    private static final long LOCK = 0x43_61_6C_6C_4B_50_49L; // "CallKPI"
    private static final String EPOCH = "timestamptz '2000-01-01 00:00:00+00'";
    private static final String BIN = "date_bin(interval '15 minutes', %s, " + EPOCH + ")";

    private static final String CALLS_TABLE = "create temporary table rollup_calls (entry_id text, call_id text, tenant_id bigint,"
            + " queue_id bigint, caller text, account_id bigint, entered timestamptz, answered timestamptz, ended timestamptz,"
            + " waited bigint, outcome text) on commit drop";
    private static final String QUEUES = "insert into queue_kpi_15m (tenant_id, queue_id, bucket, " + QueueSums.COLUMNS + ")"
            + " with " + QueueSums.THRESHOLDS + " select c.tenant_id, c.queue_id, " + BIN.formatted("c.entered") + " as bucket,"
            + QueueSums.SELECT + " from rollup_calls c left join th on th.queue_id = c.queue_id where c.queue_id is not null"
            + " group by c.tenant_id, c.queue_id, bucket";
    private static final String AGENT_OFFERS = "insert into queue_agent_kpi_15m (tenant_id, account_id, offered, missed, bucket) "
            + AgentSums.OFFERS.formatted(", " + BIN.formatted("at") + " as bucket", ", bucket");
    private static final String AGENT_CALLS = "insert into queue_agent_kpi_15m (tenant_id, account_id, answered, talk_sum,"
            + " talk_max, bucket) " + AgentSums.CALLS.formatted(", " + BIN.formatted("c.entered") + " as bucket", "rollup_calls",
            ", bucket") + " on conflict (account_id, bucket) do update set answered = excluded.answered,"
            + " talk_sum = excluded.talk_sum, talk_max = excluded.talk_max";
    /** Each stretch of a state cut at the bucket bounds it crosses. */
    private static final String AGENT_STATES = "insert into queue_agent_state_15m (tenant_id, account_id, bucket, state, reason,"
            + " seconds) select t.tenant_id, t.account_id, b, t.state, t.reason,"
            + " sum(extract(epoch from least(t.e, b + interval '15 minutes') - greatest(t.s, b)))"
            + " from (" + AgentSums.STRETCHES + ") t cross join lateral generate_series(" + BIN.formatted("t.s")
            + ", t.e - interval '1 microsecond', interval '15 minutes') b where t.e > t.s"
            + " group by t.tenant_id, t.account_id, b, t.state, t.reason";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Supplier<QueueSums.Thresholds> thresholds;
    private final Clock clock;
    private volatile ScheduledExecutorService timer;
    private volatile boolean running;
    private volatile boolean stopping;

    @org.springframework.beans.factory.annotation.Autowired
    KpiRollups(DataSource dataSource, QueueDirectory queues) {
        this(dataSource, () -> QueueSums.Thresholds.of(queues.queuesOf(null).values()), Clock.systemUTC());
    }

    KpiRollups(DataSource dataSource, Supplier<QueueSums.Thresholds> thresholds, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /**
     * Where the rollups end: buckets before it are rolled up and up to date; null when none is. A day
     * marked dirty (rows came after its rollups) and the day before it are not, until rolled up again.
     */
    Instant rolledTo() {
        Timestamp t = jdbc.sql("select least(rolled_to, (select min(day) - interval '1 day' from queue_kpi_dirty))"
                + " from queue_kpi_state where id = 1").query(Timestamp.class).optional().orElse(null);
        return t == null ? null : t.toInstant();
    }

    /** Where the rollups made end (dirty days or not). */
    private Instant stored() {
        Timestamp t = jdbc.sql("select rolled_to from queue_kpi_state where id = 1").query(Timestamp.class).optional().orElse(null);
        return t == null ? null : t.toInstant();
    }

    /**
     * How to read {@code [from, to)}: from the log before the first bucket bound and after the rollups'
     * end (or the last bucket bound), from the rollups between.
     *
     * @param rolled the whole buckets to read from the rollups, or null
     * @param log    the parts to read from the log (none, one or two)
     */
    record Split(Range rolled, List<Range> log) {
    }

    record Range(Instant from, Instant to) {
    }

    static Split split(Instant from, Instant to, Instant rolledTo) {
        Instant a = ceil(from);
        Instant c = floor(to);
        if (rolledTo == null) {
            return new Split(null, List.of(new Range(from, to)));
        }
        if (floor(rolledTo).isBefore(c)) {
            c = floor(rolledTo);
        }
        if (!a.isBefore(c)) {
            return new Split(null, List.of(new Range(from, to)));
        }
        List<Range> raw = new ArrayList<>(2);
        if (from.isBefore(a)) {
            raw.add(new Range(from, a));
        }
        if (c.isBefore(to)) {
            raw.add(new Range(c, to));
        }
        return new Split(new Range(a, c), raw);
    }

    static Instant floor(Instant t) {
        long b = BUCKET.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), b) * b);
    }

    static Instant ceil(Instant t) {
        Instant f = floor(t);
        return f.equals(t) ? f : f.plus(BUCKET);
    }

    /**
     * Rolls up what became final by {@code now}: dirty days first, then whole days and whole hours up to
     * {@code now − LAG}. Returns the periods rolled up (none while another server rolls up).
     */
    int rollUp(Instant now) {
        Instant target = now.minus(LAG).truncatedTo(ChronoUnit.HOURS);
        int units = redoDirty();
        Instant at = stored();
        if (at == null) {
            Timestamp first = jdbc.sql("select min(at) from queue_log").query(Timestamp.class).optional().orElse(null);
            at = first == null ? target : first.toInstant().truncatedTo(ChronoUnit.DAYS);
            if (at.isAfter(target)) {
                at = target;
            }
            jdbc.sql("update queue_kpi_state set rolled_to = :at where id = 1 and rolled_to is null")
                    .param("at", Timestamp.from(at)).update();
        }
        while (!stopping) {
            Duration step = at.plus(Duration.ofDays(1)).isAfter(target) ? Duration.ofHours(1) : Duration.ofDays(1);
            Instant end = at.plus(step);
            if (end.isAfter(target) || !roll(at, end, null, true)) {
                break;
            }
            units++;
            at = end;
        }
        return units;
    }

    private int redoDirty() {
        Instant rolled = stored();
        List<Timestamp> days = jdbc.sql("select day from queue_kpi_dirty order by day").query(Timestamp.class).list();
        int units = 0;
        for (Timestamp d : days) {
            // the calls that entered the day before may end on the day; an agent's state lasts until its next
            // row, and the KPIs look a week back for it: the day's rows may change the week after it
            Instant day = d.toInstant().truncatedTo(ChronoUnit.DAYS);
            Instant end = day.plus(STATE_LOOKBACK).plus(Duration.ofDays(1));
            if (rolled == null || end.isAfter(rolled)) {
                end = rolled == null ? day.plus(Duration.ofDays(1)) : rolled;
            }
            if (!day.minus(Duration.ofDays(1)).isBefore(end)) { // not rolled up yet: nothing to redo
                jdbc.sql("delete from queue_kpi_dirty where day = :d").param("d", d).update();
                continue;
            }
            Instant first = day.minus(Duration.ofDays(1));
            for (Instant from = first; from.isBefore(end); from = from.plus(Duration.ofDays(1))) {
                Instant to = from.plus(Duration.ofDays(1)).isBefore(end) ? from.plus(Duration.ofDays(1)) : end;
                // the mark goes with the first period: rows that come for the day during the redo mark it again
                if (stopping || !roll(from, to, from.equals(first) ? d : null, false)) {
                    if (!from.equals(first)) { // cut short after the mark went: mark the day again
                        jdbc.sql("insert into queue_kpi_dirty (day) values (:d) on conflict do nothing").param("d", d).update();
                    }
                    return units;
                }
                units++;
            }
        }
        return units;
    }

    /**
     * Rolls up {@code [from, to)} (bucket bounds) in one transaction, replacing what was there; false when
     * another server is rolling up (its transaction holds the lock).
     */
    private boolean roll(Instant from, Instant to, Timestamp dirtyDay, boolean advance) {
        long started = System.nanoTime();
        QueueSums.Thresholds t = thresholds.get();
        Timestamp f = Timestamp.from(from);
        Timestamp e = Timestamp.from(to);
        Boolean done = tx.execute(s -> {
            if (!jdbc.sql("select pg_try_advisory_xact_lock(" + LOCK + ")").query(Boolean.class).single()) {
                return false;
            }
            for (String table : List.of("queue_kpi_15m", "queue_agent_kpi_15m", "queue_agent_state_15m")) {
                jdbc.sql("delete from " + table + " where bucket >= :f and bucket < :e").param("f", f).param("e", e).update();
            }
            jdbc.sql(CALLS_TABLE).update();
            jdbc.sql(QueueSums.scope("insert into rollup_calls " + QueueCalls.SQL, null, null)).param("timeFrom", f).param("timeTo", e).param("tenant", null)
                    .param("queue", null).update();
            t.bind(jdbc.sql(QUEUES)).update();
            jdbc.sql(QueueSums.scope(AGENT_OFFERS, null, null)).param("timeFrom", f).param("timeTo", e).param("tenant", null).update();
            jdbc.sql(AGENT_CALLS).update();
            jdbc.sql(QueueSums.scope(AGENT_STATES, null, null)).param("timeFrom", f).param("timeTo", e).param("tenant", null).update();
            if (advance) {
                jdbc.sql("update queue_kpi_state set rolled_to = greatest(rolled_to, :e) where id = 1").param("e", e).update();
            }
            if (dirtyDay != null) {
                jdbc.sql("delete from queue_kpi_dirty where day = :d").param("d", dirtyDay).update();
            }
            return true;
        });
        log.debug("KPI rollups of [{}, {}) made in {} ms", from, to, (System.nanoTime() - started) / 1_000_000);
        return Boolean.TRUE.equals(done);
    }

    @Override
    public void start() {
        running = true;
        stopping = false;
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("kpi-rollups").daemon().factory());
        t.scheduleWithFixedDelay(() -> {
            try {
                int units = rollUp(clock.instant());
                if (units > 0) {
                    log.info("KPI rollups: {} period(s) rolled up, now to {}", units, rolledTo());
                }
            } catch (RuntimeException e) {
                log.warn("KPI rollups failed (the KPIs read the log meanwhile): {}", e.toString());
            }
        }, 5, 60, TimeUnit.SECONDS);
        timer = t;
    }

    @Override
    public void stop() {
        running = false;
        stopping = true;
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdown();
            try {
                t.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
