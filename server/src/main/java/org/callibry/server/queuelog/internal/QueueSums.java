package org.callibry.server.queuelog.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.storage.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue KPIs in additive form (counts, sums, maxima) for one queue: read from the log for a range
 * ({@link #fromLog}), from the rollups for whole buckets ({@link #fromRollups}), added together, and
 * only then turned into averages and ratios ({@link KpiEndpoint}). The same select list makes the
 * rollups ({@link KpiRollups}) and today's live counts ({@link QueueStats}), so the three never differ.
 */
final class QueueSums {
    /** Sums over the queue calls {@code c} (rows of {@link QueueCalls#SQL}) joined to their thresholds {@code th}. */
    static final String SELECT = " count(*) as offered,"
            + " count(*) filter (where c.outcome = 'ANSWERED') as answered,"
            + " count(*) filter (where c.outcome = 'ABANDONED' and c.waited >= coalesce(th.short, " + Thresholds.SHORT + "))"
            + " as abandoned,"
            + " count(*) filter (where c.outcome = 'ABANDONED' and c.waited < coalesce(th.short, " + Thresholds.SHORT + "))"
            + " as short_abandoned,"
            + " count(*) filter (where c.outcome = 'ANSWERED' and c.waited <= coalesce(th.sl, " + Thresholds.SERVICE_LEVEL + "))"
            + " as within_sl,"
            + " coalesce(sum(c.waited) filter (where c.outcome = 'ANSWERED'), 0) as answer_wait_sum,"
            + " count(*) filter (where c.outcome is not null) as waited,"
            + " coalesce(sum(c.waited) filter (where c.outcome is not null), 0) as wait_sum,"
            + " max(c.waited) filter (where c.outcome is not null) as wait_max,"
            + " count(*) filter (where c.outcome = 'ANSWERED' and c.ended is not null) as talked,"
            + " coalesce(sum(extract(epoch from c.ended - c.answered)) filter (where c.outcome = 'ANSWERED'"
            + " and c.ended is not null), 0) as talk_sum,"
            + " max(extract(epoch from c.ended - c.answered)) filter (where c.outcome = 'ANSWERED' and c.ended is not null)"
            + " as talk_max";
    /** The columns of {@code queue_kpi_15m} that {@link #SELECT} fills, in its order. */
    static final String COLUMNS = "offered, answered, abandoned, short_abandoned, within_sl, answer_wait_sum, waited, wait_sum,"
            + " wait_max, talked, talk_sum, talk_max";
    /** The thresholds of the queues: {@code :ids}, {@code :sl} and {@code :short}, arrays in the same order. */
    static final String THRESHOLDS = "th as (select * from unnest(cast(:ids as bigint[]), cast(:sl as int[]),"
            + " cast(:short as int[])) as t(queue_id, sl, short))";

    private static final String FROM_LOG = "with calls as (" + QueueCalls.SQL + "), " + THRESHOLDS
            + " select c.queue_id," + SELECT + " from calls c left join th on th.queue_id = c.queue_id"
            + " where c.queue_id is not null group by c.queue_id";
    static final String FROM_ROLLUPS = "select queue_id, sum(offered) as offered, sum(answered) as answered,"
            + " sum(abandoned) as abandoned, sum(short_abandoned) as short_abandoned, sum(within_sl) as within_sl,"
            + " sum(answer_wait_sum) as answer_wait_sum, sum(waited) as waited, sum(wait_sum) as wait_sum,"
            + " max(wait_max) as wait_max, sum(talked) as talked, sum(talk_sum) as talk_sum, max(talk_max) as talk_max"
            + " from queue_kpi_15m where bucket >= :timeFrom and bucket < :timeTo"
            + " and (cast(:tenant as bigint) is null or tenant_id = :tenant) and (cast(:queue as bigint) is null or queue_id = :queue)"
            + " group by queue_id";

    long offered;
    long answered;
    long abandoned;
    long shortAbandoned;
    long withinSl;
    long answerWaitSum;
    long waited;
    long waitSum;
    Long waitMax;
    long talked;
    double talkSum;
    Double talkMax;

    /** The service level and short-abandon thresholds of queues, as the SQL takes them; unknown queues get the defaults. */
    record Thresholds(Long[] ids, Integer[] serviceLevels, Integer[] shortAbandons) {
        static final int SERVICE_LEVEL = 20;
        static final int SHORT = 5;

        static Thresholds of(Collection<QueueDirectory.Info> queues) {
            return new Thresholds(queues.stream().map(QueueDirectory.Info::id).toArray(Long[]::new),
                    queues.stream().map(QueueDirectory.Info::serviceLevelSeconds).toArray(Integer[]::new),
                    queues.stream().map(QueueDirectory.Info::shortAbandonSeconds).toArray(Integer[]::new));
        }

        JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec) {
            return spec.param("ids", ids).param("sl", serviceLevels).param("short", shortAbandons);
        }
    }

    /** Per queue, the calls that entered in {@code [from, to)}, read from the log. */
    static Map<Long, QueueSums> fromLog(JdbcClient jdbc, Instant from, Instant to, Long tenant, Long queue, Thresholds t) {
        Map<Long, QueueSums> out = new LinkedHashMap<>();
        t.bind(jdbc.sql(scope(FROM_LOG, tenant, queue))).param("timeFrom", Timestamp.from(from)).param("timeTo", Timestamp.from(to))
                .param("tenant", tenant).param("queue", queue)
                .query(rs -> {
                    out.put(rs.getLong("queue_id"), read(rs));
                });
        return out;
    }

    /** Per queue, the rollups of the buckets in {@code [from, to)} (both on bucket bounds). */
    static Map<Long, QueueSums> fromRollups(JdbcClient jdbc, Instant from, Instant to, Long tenant, Long queue) {
        Map<Long, QueueSums> out = new LinkedHashMap<>();
        jdbc.sql(scope(FROM_ROLLUPS, tenant, queue)).param("timeFrom", Timestamp.from(from)).param("timeTo", Timestamp.from(to))
                .param("tenant", tenant).param("queue", queue)
                .query(rs -> {
                    out.put(rs.getLong("queue_id"), read(rs));
                });
        return out;
    }

    /** {@code sql} with its optional tenant and queue filters resolved ({@link Sql#optional}). */
    static String scope(String sql, Long tenant, Long queue) {
        return Sql.optional(Sql.optional(sql, "tenant", tenant), "queue", queue);
    }

    /** Adds {@code more} into {@code into}, queue by queue. */
    static void addAll(Map<Long, QueueSums> into, Map<Long, QueueSums> more) {
        more.forEach((queue, s) -> into.merge(queue, s, QueueSums::add));
    }

    QueueSums add(QueueSums o) {
        offered += o.offered;
        answered += o.answered;
        abandoned += o.abandoned;
        shortAbandoned += o.shortAbandoned;
        withinSl += o.withinSl;
        answerWaitSum += o.answerWaitSum;
        waited += o.waited;
        waitSum += o.waitSum;
        waitMax = max(waitMax, o.waitMax);
        talked += o.talked;
        talkSum += o.talkSum;
        talkMax = o.talkMax == null ? talkMax : talkMax == null ? o.talkMax : Double.valueOf(Math.max(talkMax, o.talkMax));
        return this;
    }

    /** Service level in percent: answered within it / (offered − short abandons); null when nothing counts. */
    Double serviceLevelPct() {
        long counted = offered - shortAbandoned;
        return counted > 0 ? 100.0 * withinSl / counted : null;
    }

    Double asa() {
        return answered == 0 ? null : (double) answerWaitSum / answered;
    }

    Double avgWait() {
        return waited == 0 ? null : (double) waitSum / waited;
    }

    Double avgTalk() {
        return talked == 0 ? null : talkSum / talked;
    }

    Long maxTalk() {
        return talkMax == null ? null : Math.round(talkMax);
    }

    static QueueSums read(ResultSet rs) throws SQLException {
        QueueSums s = new QueueSums();
        s.offered = rs.getLong("offered");
        s.answered = rs.getLong("answered");
        s.abandoned = rs.getLong("abandoned");
        s.shortAbandoned = rs.getLong("short_abandoned");
        s.withinSl = rs.getLong("within_sl");
        s.answerWaitSum = rs.getLong("answer_wait_sum");
        s.waited = rs.getLong("waited");
        s.waitSum = rs.getLong("wait_sum");
        long waitMax = rs.getLong("wait_max");
        s.waitMax = rs.wasNull() ? null : waitMax;
        s.talked = rs.getLong("talked");
        s.talkSum = rs.getDouble("talk_sum");
        double talkMax = rs.getDouble("talk_max");
        s.talkMax = rs.wasNull() ? null : talkMax;
        return s;
    }

    private static Long max(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
    }
}
