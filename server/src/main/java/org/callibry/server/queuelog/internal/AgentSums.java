package org.callibry.server.queuelog.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The agent KPIs in additive form for one agent (at its account): offers, misses, answered calls and
 * their talk, and seconds in each live state (pauses by reason). Read from the log for a range
 * ({@link #fromLog}) or from the rollups ({@link #fromRollups}), added, then turned into averages and
 * occupancy by {@link KpiEndpoint}. The log queries here also make the rollups ({@link KpiRollups}).
 */
final class AgentSums {
    /** Offers and misses by the time they happened. */
    static final String OFFERS = "select tenant_id, account_id, count(*) filter (where event = 'OFFERED') as offered,"
            + " count(*) filter (where event = 'MISSED') as missed%s from queue_log where at >= :timeFrom and at < :timeTo"
            + " and account_id is not null and event in ('OFFERED', 'MISSED')"
            + " and (cast(:tenant as bigint) is null or tenant_id = :tenant) group by tenant_id, account_id%s";
    /** Answered calls (queue calls {@code c}) by the time they entered, with their talk. */
    static final String CALLS = "select c.tenant_id, c.account_id, count(*) as answered,"
            + " sum(extract(epoch from c.ended - c.answered)) as talk_sum, max(extract(epoch from c.ended - c.answered)) as talk_max%s"
            + " from %s c where c.outcome = 'ANSWERED' and c.ended is not null and c.account_id is not null"
            + " group by c.tenant_id, c.account_id%s";
    /**
     * Time in each state (and pause reason): every agent row lasts until the agent's next row, clipped to
     * the range; the state at the range's start comes from the last row before it (a week back at most).
     * Rows {@code (tenant_id, account_id, state, reason, s, e)}: one stretch of a state within the range.
     */
    static final String STRETCHES = "select tenant_id, account_id, state, case when state = 'PAUSED' then coalesce(detail, '')"
            + " else '' end as reason, greatest(at, :timeFrom) as s, least(coalesce(next_at, :timeTo), :timeTo) as e"
            + " from (select tenant_id, account_id, state, detail, at, lead(at) over (partition by agent_id order by at, id) as next_at"
            + " from queue_log where event = 'AGENT' and at < :timeTo and at >= cast(:timeFrom as timestamptz) - interval '7 days'"
            + " and account_id is not null and state is not null"
            + " and (cast(:tenant as bigint) is null or tenant_id = :tenant)) r where coalesce(next_at, :timeTo) > :timeFrom";
    private static final String STATES = "select account_id, state, reason, sum(extract(epoch from e - s)) as seconds"
            + " from (" + STRETCHES + ") t group by account_id, state, reason";

    static final String ROLLED_COUNTS = "select account_id, sum(offered) as offered, sum(missed) as missed,"
            + " sum(answered) as answered, sum(talk_sum) as talk_sum, max(talk_max) as talk_max from queue_agent_kpi_15m"
            + " where bucket >= :timeFrom and bucket < :timeTo and (cast(:tenant as bigint) is null or tenant_id = :tenant)"
            + " group by account_id";
    static final String ROLLED_STATES = "select account_id, state, reason, sum(seconds) as seconds"
            + " from queue_agent_state_15m where bucket >= :timeFrom and bucket < :timeTo"
            + " and (cast(:tenant as bigint) is null or tenant_id = :tenant) group by account_id, state, reason";

    /** A live state and, for {@code PAUSED}, the reason ("" otherwise). */
    record State(String state, String reason) {
    }

    final long accountId;
    long offered;
    long missed;
    long answered;
    double talkSum;
    Double talkMax;
    final Map<State, Double> seconds = new HashMap<>();

    AgentSums(long accountId) {
        this.accountId = accountId;
    }

    /** Per account, from the log over {@code [from, to)}. */
    static Map<Long, AgentSums> fromLog(JdbcClient jdbc, Instant from, Instant to, Long tenant) {
        Map<Long, AgentSums> out = new LinkedHashMap<>();
        Timestamp f = Timestamp.from(from);
        Timestamp t = Timestamp.from(to);
        jdbc.sql(QueueSums.scope(OFFERS.formatted("", ""), tenant, null)).param("timeFrom", f).param("timeTo", t).param("tenant", tenant).query(rs -> {
            AgentSums a = out.computeIfAbsent(rs.getLong("account_id"), AgentSums::new);
            a.offered += rs.getLong("offered");
            a.missed += rs.getLong("missed");
        });
        jdbc.sql(QueueSums.scope("with calls as (" + QueueCalls.SQL + ") " + CALLS.formatted("", "calls", ""), tenant, null)).param("timeFrom", f).param("timeTo", t)
                .param("tenant", tenant).param("queue", null).query(rs -> {
                    AgentSums a = out.computeIfAbsent(rs.getLong("account_id"), AgentSums::new);
                    a.calls(rs.getLong("answered"), rs.getDouble("talk_sum"), rs.getDouble("talk_max"));
                });
        jdbc.sql(QueueSums.scope(STATES, tenant, null)).param("timeFrom", f).param("timeTo", t).param("tenant", tenant).query(rs -> {
            AgentSums a = out.computeIfAbsent(rs.getLong("account_id"), AgentSums::new);
            a.seconds.merge(new State(rs.getString("state"), rs.getString("reason")), rs.getDouble("seconds"), Double::sum);
        });
        return out;
    }

    /** Per account, from the rollups of the buckets in {@code [from, to)}. */
    static Map<Long, AgentSums> fromRollups(JdbcClient jdbc, Instant from, Instant to, Long tenant) {
        Map<Long, AgentSums> out = new LinkedHashMap<>();
        Timestamp f = Timestamp.from(from);
        Timestamp t = Timestamp.from(to);
        jdbc.sql(QueueSums.scope(ROLLED_COUNTS, tenant, null)).param("timeFrom", f).param("timeTo", t).param("tenant", tenant).query(rs -> {
            AgentSums a = out.computeIfAbsent(rs.getLong("account_id"), AgentSums::new);
            a.offered += rs.getLong("offered");
            a.missed += rs.getLong("missed");
            double max = rs.getDouble("talk_max");
            a.calls(rs.getLong("answered"), rs.getDouble("talk_sum"), rs.wasNull() ? Double.NaN : max);
        });
        jdbc.sql(QueueSums.scope(ROLLED_STATES, tenant, null)).param("timeFrom", f).param("timeTo", t).param("tenant", tenant).query(rs -> {
            AgentSums a = out.computeIfAbsent(rs.getLong("account_id"), AgentSums::new);
            a.seconds.merge(new State(rs.getString("state"), rs.getString("reason")), rs.getDouble("seconds"), Double::sum);
        });
        return out;
    }

    static void addAll(Map<Long, AgentSums> into, Map<Long, AgentSums> more) {
        for (AgentSums m : more.values()) {
            AgentSums a = into.computeIfAbsent(m.accountId, AgentSums::new);
            a.offered += m.offered;
            a.missed += m.missed;
            a.calls(m.answered, m.talkSum, m.talkMax == null ? Double.NaN : m.talkMax);
            m.seconds.forEach((state, s) -> a.seconds.merge(state, s, Double::sum));
        }
    }

    private void calls(long count, double talk, double max) {
        answered += count;
        talkSum += talk;
        if (count > 0 && !Double.isNaN(max)) {
            talkMax = talkMax == null ? max : Math.max(talkMax, max);
        }
    }
}
