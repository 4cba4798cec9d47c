package org.callibry.server.acd.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Queues;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The ACD's tables: queues ({@code acd_queue}), their members ({@code acd_member}), agents
 * ({@code acd_agent}, with the chosen status) and callback requests ({@code acd_callback}). Read
 * whole at start and after each change; the call path works on the {@link Acd}'s memory.
 */
@Component
class QueueStore {
    static final String COLUMNS = "id, tenant_id, number, name, strategy, music_on_hold, max_waiting, max_wait_seconds,"
            + " overflow_timeout_kind, overflow_timeout_target, overflow_full_kind, overflow_full_target, overflow_noagent_kind,"
            + " overflow_noagent_target, announce_every_seconds, language, wrap_up_seconds, ring_timeout_seconds,"
            + " service_level_seconds, callback_digit, callback_retries, auto_pause_after_missed, weight, priority, record,"
            + " short_abandon_seconds, hours, closed_on_holidays, overflow_closed_kind, overflow_closed_target, created_at, updated_at";

    /** An agent row: the entity, its account, its operator user and chosen status. */
    record AgentRow(long id, long tenantId, long accountId, Long userId, Agents.Status status, String reason,
                    java.time.Instant changedAt) {
    }

    /** A stored callback request. */
    record CallbackRow(String id, long queueId, long tenantId, String callId, String caller, String number, int priority,
                       java.time.Instant enteredAt, int attempts) {
    }

    private final JdbcClient jdbc;

    QueueStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Queues.Queue> queues() {
        Map<Long, List<Queues.Member>> members = new HashMap<>();
        jdbc.sql("select m.queue_id, a.account_id, m.penalty from acd_member m join acd_agent a on a.id = m.agent_id"
                        + " order by m.queue_id, m.position")
                .query((rs, n) -> members.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new Queues.Member(rs.getLong(2), rs.getInt(3)))).list();
        return jdbc.sql("select " + COLUMNS + " from acd_queue order by id")
                .query((rs, n) -> map(rs, members.getOrDefault(rs.getLong("id"), List.of()))).list();
    }

    Queues.Queue queue(long id) {
        List<Queues.Member> members = jdbc.sql("select a.account_id, m.penalty from acd_member m join acd_agent a"
                        + " on a.id = m.agent_id where m.queue_id = ? order by m.position")
                .param(id).query((rs, n) -> new Queues.Member(rs.getLong(1), rs.getInt(2))).list();
        return jdbc.sql("select " + COLUMNS + " from acd_queue where id = ?").param(id)
                .query((rs, n) -> map(rs, members)).optional().orElse(null);
    }

    List<AgentRow> agents() {
        return jdbc.sql("select id, tenant_id, account_id, user_id, status, reason, changed_at from acd_agent order by id")
                .query(QueueStore::agent).list();
    }

    /** The agent at {@code accountId}, created when missing (an account becomes an agent when it joins a queue or sets a status). */
    AgentRow agentOf(long accountId, long tenantId, Long userId) {
        jdbc.sql("insert into acd_agent (tenant_id, account_id, user_id) values (?, ?, ?) on conflict (account_id) do"
                + " update set user_id = coalesce(excluded.user_id, acd_agent.user_id)").params(tenantId, accountId, userId).update();
        return jdbc.sql("select id, tenant_id, account_id, user_id, status, reason, changed_at from acd_agent where account_id = ?")
                .param(accountId).query(QueueStore::agent).single();
    }

    void saveStatus(long agentId, Agents.Status status, String reason) {
        jdbc.sql("update acd_agent set status = ?, reason = ?, changed_at = now() where id = ?")
                .params(status.name(), reason, agentId).update();
    }

    void replaceMembers(long queueId, List<Long> agentIds, List<Integer> penalties) {
        jdbc.sql("delete from acd_member where queue_id = ?").param(queueId).update();
        for (int i = 0; i < agentIds.size(); i++) {
            jdbc.sql("insert into acd_member (queue_id, agent_id, penalty, position) values (?, ?, ?, ?)")
                    .params(queueId, agentIds.get(i), penalties.get(i), i).update();
        }
    }

    /** Inserts or updates the queue's own columns (not the members); returns its id. */
    long save(Long id, long tenantId, Queues.Queue q) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("number", q.number());
        v.put("name", q.name());
        v.put("strategy", q.strategy().name());
        v.put("max_waiting", q.maxWaiting());
        v.put("max_wait_seconds", q.maxWaitSeconds());
        v.put("overflow_timeout_kind", kind(q.overflowOnTimeout()));
        v.put("overflow_timeout_target", target(q.overflowOnTimeout()));
        v.put("overflow_full_kind", kind(q.overflowWhenFull()));
        v.put("overflow_full_target", target(q.overflowWhenFull()));
        v.put("overflow_noagent_kind", kind(q.overflowNoAgents()));
        v.put("overflow_noagent_target", target(q.overflowNoAgents()));
        v.put("announce_every_seconds", q.announceEverySeconds());
        v.put("language", q.language());
        v.put("wrap_up_seconds", q.wrapUpSeconds());
        v.put("ring_timeout_seconds", q.ringTimeoutSeconds());
        v.put("service_level_seconds", q.serviceLevelSeconds());
        v.put("callback_digit", q.callbackDigit());
        v.put("callback_retries", q.callbackRetries());
        v.put("auto_pause_after_missed", q.autoPauseAfterMissed());
        v.put("weight", q.weight());
        v.put("priority", q.priority());
        v.put("record", q.record());
        v.put("short_abandon_seconds", q.shortAbandonSeconds());
        v.put("hours", HOURS_JSON.writeValueAsString(q.hours()));
        v.put("closed_on_holidays", q.closedOnHolidays());
        v.put("overflow_closed_kind", kind(q.overflowWhenClosed()));
        v.put("overflow_closed_target", target(q.overflowWhenClosed()));
        List<Object> params = new ArrayList<>(v.values());
        String mohCast = "cast(? as bigint[])";
        String moh = "{" + String.join(",", q.musicOnHold().stream().map(String::valueOf).toList()) + "}";
        if (id == null) {
            String cols = String.join(", ", v.keySet());
            params.add(moh);
            params.add(tenantId);
            return jdbc.sql("insert into acd_queue (" + cols + ", music_on_hold, tenant_id) values ("
                    + "?, ".repeat(v.size()) + mohCast + ", ?) returning id").params(params).query(Long.class).single();
        }
        String sets = String.join(" = ?, ", v.keySet()) + " = ?";
        params.add(moh);
        params.add(id);
        jdbc.sql("update acd_queue set " + sets + ", music_on_hold = " + mohCast + ", updated_at = now() where id = ?")
                .params(params).update();
        return id;
    }

    void delete(long id) {
        jdbc.sql("delete from acd_queue where id = ?").param(id).update();
    }

    // ---------------------------------------------------------------- callbacks

    List<CallbackRow> callbacks() {
        return jdbc.sql("select id, queue_id, tenant_id, call_id, caller, number, priority, entered_at, attempts from acd_callback"
                + " order by entered_at").query((rs, n) -> new CallbackRow(rs.getString(1), rs.getLong(2), rs.getLong(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), Sql.instant(rs, "entered_at"), rs.getInt(9))).list();
    }

    void saveCallback(CallbackRow c) {
        jdbc.sql("insert into acd_callback (id, queue_id, tenant_id, call_id, caller, number, priority, entered_at, attempts)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do update set queue_id = excluded.queue_id,"
                        + " priority = excluded.priority, attempts = excluded.attempts")
                .params(c.id(), c.queueId(), c.tenantId(), c.callId(), c.caller(), c.number(), c.priority(),
                        java.sql.Timestamp.from(c.enteredAt()), c.attempts()).update();
    }

    void deleteCallback(String id) {
        jdbc.sql("delete from acd_callback where id = ?").param(id).update();
    }

    // ---------------------------------------------------------------- mapping

    private static String kind(Queues.Overflow o) {
        return o == null ? null : o.kind().name();
    }

    private static String target(Queues.Overflow o) {
        return o == null ? null : o.target();
    }

    private static Queues.Overflow overflow(ResultSet rs, String prefix) throws SQLException {
        String kind = rs.getString(prefix + "_kind");
        return kind == null ? null : new Queues.Overflow(Queues.OverflowKind.valueOf(kind), rs.getString(prefix + "_target"));
    }

    private static final tools.jackson.databind.json.JsonMapper HOURS_JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private static List<Queues.Hours> hours(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        return List.of(HOURS_JSON.readValue(json, Queues.Hours[].class));
    }

    private static Queues.Queue map(ResultSet rs, List<Queues.Member> members) throws SQLException {
        Array a = rs.getArray("music_on_hold");
        List<Long> moh = new ArrayList<>();
        if (a != null) {
            for (Object o : (Object[]) a.getArray()) {
                moh.add(((Number) o).longValue());
            }
        }
        return new Queues.Queue(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("number"), rs.getString("name"),
                Queues.Strategy.valueOf(rs.getString("strategy")), List.copyOf(members), List.copyOf(moh),
                rs.getInt("max_waiting"), rs.getInt("max_wait_seconds"), overflow(rs, "overflow_timeout"),
                overflow(rs, "overflow_full"), overflow(rs, "overflow_noagent"), rs.getInt("announce_every_seconds"),
                rs.getString("language"), rs.getInt("wrap_up_seconds"), rs.getInt("ring_timeout_seconds"),
                rs.getInt("service_level_seconds"), rs.getString("callback_digit"), rs.getInt("callback_retries"),
                rs.getInt("auto_pause_after_missed"), rs.getInt("weight"), rs.getInt("priority"), rs.getBoolean("record"),
                rs.getInt("short_abandon_seconds"), hours(rs.getString("hours")), rs.getBoolean("closed_on_holidays"),
                overflow(rs, "overflow_closed"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private static AgentRow agent(ResultSet rs, int n) throws SQLException {
        String status = rs.getString("status");
        long user = rs.getLong("user_id");
        Long userId = rs.wasNull() ? null : user;
        return new AgentRow(rs.getLong("id"), rs.getLong("tenant_id"), rs.getLong("account_id"), userId,
                status == null ? null : Agents.Status.valueOf(status), rs.getString("reason"), Sql.instant(rs, "changed_at"));
    }
}
