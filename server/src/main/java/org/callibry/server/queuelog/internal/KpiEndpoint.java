package org.callibry.server.queuelog.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.SipDirectory;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Kpis;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code kpi.queues} and {@code kpi.agents}: computed in SQL over the queue log (the queue calls of
 * {@link QueueCalls}, and the agents' state rows), definitions in {@code docs/modules/queue-log.md}.
 */
@Component
class KpiEndpoint {
    private static final String QUEUE_KPIS = "with calls as (" + QueueCalls.SQL + "),"
            + " sl as (select * from unnest(cast(:ids as bigint[]), cast(:sl as int[])) as t(queue_id, seconds))"
            + " select c.queue_id, count(*) as offered,"
            + " count(*) filter (where outcome = 'ANSWERED') as answered,"
            + " count(*) filter (where outcome = 'ABANDONED' and waited >= :short) as abandoned,"
            + " count(*) filter (where outcome = 'ABANDONED' and waited < :short) as short_abandoned,"
            + " count(*) filter (where outcome = 'ANSWERED' and waited <= coalesce(sl.seconds, 20)) as within_sl,"
            + " avg(waited) filter (where outcome = 'ANSWERED') as asa,"
            + " avg(waited) filter (where outcome is not null) as avg_wait,"
            + " max(waited) filter (where outcome is not null) as max_wait,"
            + " avg(extract(epoch from ended - answered)) filter (where outcome = 'ANSWERED' and ended is not null) as avg_talk,"
            + " max(extract(epoch from ended - answered)) filter (where outcome = 'ANSWERED' and ended is not null) as max_talk"
            + " from calls c left join sl on sl.queue_id = c.queue_id group by c.queue_id order by c.queue_id";

    /** Per agent: offers, answers and misses in the range, and talk from the calls it answered. */
    private static final String AGENT_CALLS = "with calls as (" + QueueCalls.SQL + ")"
            + " select account_id, count(*) as answered, sum(extract(epoch from ended - answered)) as talk,"
            + " avg(extract(epoch from ended - answered)) as avg_talk, max(extract(epoch from ended - answered)) as max_talk"
            + " from calls where outcome = 'ANSWERED' and ended is not null and account_id is not null group by account_id";
    private static final String AGENT_OFFERS = "select account_id, count(*) filter (where event = 'OFFERED') as offered,"
            + " count(*) filter (where event = 'MISSED') as missed from queue_log where at >= :timeFrom and at < :timeTo"
            + " and account_id is not null and event in ('OFFERED', 'MISSED')"
            + " and (cast(:tenant as bigint) is null or tenant_id = :tenant) group by account_id";
    /**
     * Time in each state (and each pause reason): every agent row lasts until the agent's next row, clipped
     * to the range; the state at the range's start comes from the last row before it (a week back at most).
     */
    private static final String AGENT_STATES = "select account_id, state, case when state = 'PAUSED' then detail end as reason,"
            + " sum(extract(epoch from least(coalesce(next_at, :timeTo), :timeTo) - greatest(at, :timeFrom))) as seconds"
            + " from (select account_id, state, detail, at, lead(at) over (partition by agent_id order by at, id) as next_at"
            + " from queue_log where event = 'AGENT' and at < :timeTo and at >= cast(:timeFrom as timestamptz) - interval '7 days'"
            + " and (cast(:tenant as bigint) is null or tenant_id = :tenant)) s"
            + " where coalesce(next_at, :timeTo) > :timeFrom group by account_id, state, reason";

    private final JdbcClient jdbc;
    private final QueueDirectory queues;
    private final SipDirectory directory;

    KpiEndpoint(JdbcClient jdbc, QueueDirectory queues, SipDirectory directory) {
        this.jdbc = jdbc;
        this.queues = queues;
        this.directory = directory;
    }

    @RpcMethod(value = Methods.KPI_QUEUES, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Per queue: offered, answered, abandoned, service level, speed of answer, waits, talk and handling times")
    List<Kpis.QueueKpi> queues(Caller caller, Kpis.QueueParams p) {
        range(p.timeFrom(), p.timeTo());
        Long tenant = caller.scopeTenant(p.tenantId(), "tenantId");
        Map<Long, QueueDirectory.Info> known = queues.queuesOf(tenant);
        Long[] ids = known.keySet().toArray(Long[]::new);
        Integer[] sl = known.keySet().stream().map(id -> known.get(id).serviceLevelSeconds()).toArray(Integer[]::new);
        return jdbc.sql(QUEUE_KPIS).param("timeFrom", Timestamp.from(p.timeFrom())).param("timeTo", Timestamp.from(p.timeTo()))
                .param("tenant", tenant).param("queue", p.queueId()).param("ids", ids).param("sl", sl)
                .param("short", Kpis.SHORT_ABANDON_SECONDS)
                .query((rs, n) -> {
                    long queueId = rs.getLong("queue_id");
                    QueueDirectory.Info info = known.get(queueId);
                    long offered = rs.getLong("offered");
                    long answered = rs.getLong("answered");
                    long shortAbandoned = rs.getLong("short_abandoned");
                    long within = rs.getLong("within_sl");
                    Double avgTalk = dbl(rs.getObject("avg_talk"));
                    long counted = offered - shortAbandoned;
                    return new Kpis.QueueKpi(queueId, info == null ? null : info.name(), offered, answered, rs.getLong("abandoned"),
                            shortAbandoned, within, counted > 0 ? 100.0 * within / counted : null, dbl(rs.getObject("asa")),
                            dbl(rs.getObject("avg_wait")), lng(rs.getObject("max_wait")), avgTalk, lng(rs.getObject("max_talk")),
                            avgTalk == null ? null : avgTalk + (info == null ? 0 : info.wrapUpSeconds()),
                            offered > 0 ? (double) answered / offered : null);
                }).list();
    }

    @RpcMethod(value = Methods.KPI_AGENTS, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Per agent: offers, answers, misses, talk and handling times, occupancy, pause time by reason")
    List<Kpis.AgentKpi> agents(Caller caller, Kpis.AgentParams p) {
        range(p.timeFrom(), p.timeTo());
        Long tenant = caller.scopeTenant(p.tenantId(), "tenantId");
        Timestamp from = Timestamp.from(p.timeFrom());
        Timestamp to = Timestamp.from(p.timeTo());
        Map<Long, Acc> acc = new LinkedHashMap<>();
        jdbc.sql(AGENT_OFFERS).param("timeFrom", from).param("timeTo", to).param("tenant", tenant).query(rs -> {
            Acc a = acc.computeIfAbsent(rs.getLong("account_id"), Acc::new);
            a.offered = rs.getLong("offered");
            a.missed = rs.getLong("missed");
        });
        jdbc.sql(AGENT_CALLS).param("timeFrom", from).param("timeTo", to).param("tenant", tenant).param("queue", null)
                .query(rs -> {
                    Acc a = acc.computeIfAbsent(rs.getLong("account_id"), Acc::new);
                    a.answered = rs.getLong("answered");
                    a.talk = Math.round(rs.getDouble("talk"));
                    a.avgTalk = dbl(rs.getObject("avg_talk"));
                    a.maxTalk = lng(rs.getObject("max_talk"));
                });
        jdbc.sql(AGENT_STATES).param("timeFrom", from).param("timeTo", to).param("tenant", tenant).query(rs -> {
            Acc a = acc.computeIfAbsent(rs.getLong("account_id"), Acc::new);
            String state = rs.getString("state");
            long seconds = Math.round(rs.getDouble("seconds"));
            if (state == null || state.equals("OFFLINE") || state.equals("UNAVAILABLE")) {
                return;
            }
            a.loggedIn += seconds;
            if (state.equals("WRAP_UP")) {
                a.wrapUp += seconds;
            } else if (state.equals("PAUSED")) {
                String reason = rs.getString("reason");
                a.pauses.merge(reason == null || reason.isBlank() ? "" : reason, seconds, Long::sum);
            }
        });
        Map<Long, SipDirectory.Credentials> numbers = directory.accounts(acc.keySet());
        List<Kpis.AgentKpi> out = new ArrayList<>();
        for (Acc a : acc.values()) {
            if (p.accountId() != null && a.accountId != p.accountId()) {
                continue;
            }
            SipDirectory.Credentials c = numbers.get(a.accountId);
            if (tenant != null && (c == null || c.tenantId() != tenant)) {
                continue;
            }
            Double aht = a.answered == 0 ? null : (double) (a.talk + a.wrapUp) / a.answered;
            Double occupancy = a.loggedIn == 0 ? null : Math.min(1.0, (double) (a.talk + a.wrapUp) / a.loggedIn);
            out.add(new Kpis.AgentKpi(a.accountId, c == null ? null : c.number(), a.offered, a.answered, a.missed, a.avgTalk,
                    a.maxTalk, aht, a.talk, a.wrapUp, a.loggedIn, occupancy, Map.copyOf(a.pauses)));
        }
        out.sort(Comparator.comparing(k -> k.agent() == null ? "" : k.agent()));
        return out;
    }

    private static final class Acc {
        final long accountId;
        long offered;
        long missed;
        long answered;
        long talk;
        Double avgTalk;
        Long maxTalk;
        long wrapUp;
        long loggedIn;
        final Map<String, Long> pauses = new HashMap<>();

        Acc(long accountId) {
            this.accountId = accountId;
        }
    }

    private static void range(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw RpcException.invalid("timeTo", "must be after timeFrom");
        }
        if (java.time.Duration.between(from, to).toDays() > 366) {
            throw RpcException.invalid("timeTo", "a range is one year at most");
        }
    }

    private static Double dbl(Object v) {
        return v == null ? null : ((Number) v).doubleValue();
    }

    private static Long lng(Object v) {
        return v == null ? null : Math.round(((Number) v).doubleValue());
    }
}
