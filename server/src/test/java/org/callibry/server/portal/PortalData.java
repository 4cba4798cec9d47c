package org.callibry.server.portal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Bulk test data for the portal's screenshots and its benchmark, made by SQL in the database (the
 * writers' own paths have their own tests and benchmarks): call detail records and queue calls of one
 * tenant spread over a time range.
 */
final class PortalData {
    private PortalData() {
    }

    /** {@code count} CDRs of {@code tenant} spread evenly over [from, to): 60 % answered, then busy, no answer, failed. */
    static void cdrs(JdbcClient jdbc, long tenant, long count, Instant from, Instant to) {
        long stepMicros = Math.max(1, Duration.between(from, to).toNanos() / 1000 / count);
        for (long lo = 0; lo < count; lo += 200_000) {
            long hi = Math.min(count, lo + 200_000);
            jdbc.sql("insert into cdr (id, call_id, a_number, b_number, a_number_routed, b_number_routed, source, destination,"
                    + " route_name, tenant_id, started_at, answered_at, ended_at, duration_ms, disposition, sip_code, reason)"
                    + " select gen_random_uuid(), 'bench-' || i || '@192.0.2.1', a, b, a, '+' || b, '192.0.2.10:5060',"
                    + " 'sip:' || b || '@198.51.100.7:5060', 'route-' || (i % 12), :tenant, t,"
                    + " case when d = 'ANSWERED' then t + interval '3 seconds' end,"
                    + " t + (case when d = 'ANSWERED' then 3 + talk else 20 end) * interval '1 second',"
                    + " case when d = 'ANSWERED' then talk * 1000 else 0 end, d,"
                    + " case d when 'ANSWERED' then 200 when 'BUSY' then 486 when 'NO_ANSWER' then 480 else 503 end, ''"
                    + " from (select i, cast(:from as timestamptz) + i * cast(:step as bigint) * interval '1 microsecond' as t,"
                    + " '7495' || lpad((i % 20000)::text, 7, '0') as a, '7812' || lpad((i % 200000)::text, 7, '0') as b,"
                    + " (10 + i % 590) as talk,"
                    + " case when i % 10 < 6 then 'ANSWERED' when i % 10 < 8 then 'BUSY' when i % 10 < 9 then 'NO_ANSWER'"
                    + " else 'FAILED' end as d from generate_series(cast(:lo as bigint), cast(:hi as bigint) - 1) i) c")
                    .param("tenant", tenant).param("from", Timestamp.from(from)).param("step", stepMicros)
                    .param("lo", lo).param("hi", hi).update();
        }
        jdbc.sql("analyze cdr").update();
    }

    /**
     * {@code count} queue calls of {@code tenant} entering over [from, to), round robin over the queues and
     * agents: 80 % answered (offered, answered, ended), the rest abandoned; waits up to 3 min, talks up to 7.
     */
    static void queueCalls(JdbcClient jdbc, long tenant, List<Long> queues, List<Long> agents, long count, Instant from,
                           Instant to) {
        long stepMicros = Math.max(1, Duration.between(from, to).toNanos() / 1000 / count);
        String queueArray = "array[" + String.join(",", queues.stream().map(String::valueOf).toList()) + "]::bigint[]";
        String agentArray = "array[" + String.join(",", agents.stream().map(String::valueOf).toList()) + "]::bigint[]";
        for (long lo = 0; lo < count; lo += 100_000) {
            long hi = Math.min(count, lo + 100_000);
            jdbc.sql("insert into queue_log (id, at, tenant_id, queue_id, call_id, entry_id, event, caller, agent_id, account_id,"
                    + " position, wait_seconds, detail)"
                    + " select gen_random_uuid(), e.at, :tenant, c.queue, c.call_id, c.call_id, e.event, c.caller, e.account,"
                    + " e.account, 1, e.wait, ''"
                    + " from (select 'q' || :tenant || '-' || i as call_id,"
                    + " cast(:from as timestamptz) + i * cast(:step as bigint) * interval '1 microsecond' as t,"
                    + " (" + queueArray + ")[1 + i % " + queues.size() + "] as queue,"
                    + " (" + agentArray + ")[1 + i % " + agents.size() + "] as account,"
                    + " '+7495' || lpad((i % 100000)::text, 7, '0') as caller, (i % 10) < 8 as answered,"
                    + " (5 + (i * 7919) % 175)::int as w, (20 + (i * 104729) % 400)::int as talk"
                    + " from generate_series(cast(:lo as bigint), cast(:hi as bigint) - 1) i) c"
                    + " cross join lateral ("
                    + " select 'ENTERED' as event, c.t as at, 0 as wait, null::bigint as account"
                    + " union all select 'OFFERED', c.t + interval '1 second', 1, c.account where c.answered"
                    + " union all select 'ANSWERED', c.t + c.w * interval '1 second', c.w, c.account where c.answered"
                    + " union all select 'ENDED', c.t + (c.w + c.talk) * interval '1 second', c.w, c.account where c.answered"
                    + " union all select 'ABANDONED', c.t + c.w * interval '1 second', c.w, null where not c.answered) e")
                    .param("tenant", tenant).param("from", Timestamp.from(from)).param("step", stepMicros)
                    .param("lo", lo).param("hi", hi).update();
        }
        jdbc.sql("analyze queue_log").update();
    }
}
