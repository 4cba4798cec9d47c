package org.callibry.server.queuelog.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.dto.QueueLogs;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The queue calls the log makes up: one per waiting entry that entered in a time range, with its last
 * queue, the agent that answered, the wait (to the answer, or to its end), the talk time and how it
 * ended. The base of the CSV export and of the KPIs.
 */
@Component
class QueueCalls {
    /** Events that end an entry's wait, most telling first when several share a moment. */
    static final String OUTCOMES = "'ANSWERED', 'ABANDONED', 'CALLBACK_REQUESTED', 'TIMED_OUT', 'OVERFLOWED', 'KICKED',"
            + " 'SHUTDOWN'";

    /**
     * Per entry: {@code queue_id} (the last), {@code caller}, {@code account_id} (who answered), {@code entered},
     * {@code answered}, {@code ended}, {@code waited}, {@code outcome}. {@code :tenant} null = every tenant.
     */
    static final String SQL = "with entries as (select entry_id from queue_log where event = 'ENTERED'"
            + " and at >= :timeFrom and at < :timeTo and (cast(:tenant as bigint) is null or tenant_id = :tenant)"
            + " and (cast(:queue as bigint) is null or queue_id = :queue))"
            + " select l.entry_id, min(l.call_id) as call_id, min(l.tenant_id) as tenant_id,"
            + " (array_agg(l.queue_id order by l.at desc) filter (where l.queue_id is not null))[1] as queue_id,"
            + " (array_agg(l.caller order by l.at) filter (where l.event = 'ENTERED'))[1] as caller,"
            + " (array_agg(l.account_id order by l.at desc) filter (where l.event = 'ANSWERED'))[1] as account_id,"
            + " min(l.at) filter (where l.event = 'ENTERED') as entered,"
            + " max(l.at) filter (where l.event = 'ANSWERED') as answered,"
            + " max(l.at) filter (where l.event = 'ENDED') as ended,"
            + " max(l.wait_seconds) filter (where l.event in (" + OUTCOMES + ")) as waited,"
            + " (array_agg(l.event order by l.at desc) filter (where l.event in (" + OUTCOMES + ")))[1] as outcome"
            + " from queue_log l join entries e on e.entry_id = l.entry_id"
            + " where l.at >= :timeFrom and l.at < cast(:timeTo as timestamptz) + interval '1 day'"
            + " and (cast(:tenant as bigint) is null or l.tenant_id = :tenant)" // an entry's rows share its tenant
            + " group by l.entry_id";
    static final String ORDERED = SQL + " order by entered, entry_id";
    private static final String ENTRIES_END = "and (cast(:queue as bigint) is null or queue_id = :queue))";
    /** One page of {@link #ORDERED}: only the page's entries are grouped. */
    static final String PAGE = SQL.replace(ENTRIES_END, ENTRIES_END.substring(0, ENTRIES_END.length() - 1)
            + " order by at, entry_id limit :limit offset :offset)") + " order by entered, entry_id";
    static final String COUNT = "select count(*) from queue_log where event = 'ENTERED' and at >= :timeFrom and at < :timeTo"
            + " and (cast(:tenant as bigint) is null or tenant_id = :tenant) and (cast(:queue as bigint) is null or queue_id = :queue)";

    static {
        if (PAGE.equals(ORDERED)) {
            throw new IllegalStateException("QueueCalls.PAGE: the entries' filter changed; page it again");
        }
    }

    private final JdbcClient jdbc;
    private final QueueDirectory queues;
    private final SipDirectory directory;

    QueueCalls(JdbcClient jdbc, QueueDirectory queues, SipDirectory directory) {
        this.jdbc = jdbc;
        this.queues = queues;
        this.directory = directory;
    }

    /** A queue call as the log has it, names not yet filled in. */
    record Row(String entryId, String callId, long tenantId, Long queueId, String caller, Long accountId, Instant entered,
               Instant answered, Instant ended, long waited, String outcome) {
    }

    List<Row> rows(Instant from, Instant to, Long tenantId, Long queueId) {
        return jdbc.sql(QueueSums.scope(ORDERED, tenantId, queueId)).param("timeFrom", java.sql.Timestamp.from(from)).param("timeTo", java.sql.Timestamp.from(to))
                .param("tenant", tenantId).param("queue", queueId).query(QueueCalls::map).list();
    }

    /** The rows with queue names and agent numbers. */
    List<QueueLogs.QueueCall> calls(Instant from, Instant to, Long tenantId, Long queueId) {
        return named(rows(from, to, tenantId, queueId));
    }

    /** One page of {@link #calls} (entries ordered by when they entered) and the number of entries in the range. */
    org.callibry.shared.api.dto.Page<QueueLogs.QueueCall> page(Instant from, Instant to, Long tenantId, Long queueId,
                                                              int offset, int limit) {
        java.sql.Timestamp f = java.sql.Timestamp.from(from);
        java.sql.Timestamp t = java.sql.Timestamp.from(to);
        List<Row> rows = jdbc.sql(QueueSums.scope(PAGE, tenantId, queueId)).param("timeFrom", f).param("timeTo", t)
                .param("tenant", tenantId).param("queue", queueId).param("limit", limit).param("offset", offset)
                .query(QueueCalls::map).list();
        long total = jdbc.sql(QueueSums.scope(COUNT, tenantId, queueId)).param("timeFrom", f).param("timeTo", t)
                .param("tenant", tenantId).param("queue", queueId).query(Long.class).single();
        return new org.callibry.shared.api.dto.Page<>(named(rows), total, offset, limit);
    }

    private List<QueueLogs.QueueCall> named(List<Row> rows) {
        Set<Long> queueIds = new HashSet<>();
        Set<Long> accounts = new HashSet<>();
        for (Row r : rows) {
            queueIds.add(r.queueId());
            if (r.accountId() != null) {
                accounts.add(r.accountId());
            }
        }
        Map<Long, QueueDirectory.Info> names = queues.queues(queueIds);
        Map<Long, SipDirectory.Credentials> numbers = directory.accounts(accounts);
        List<QueueLogs.QueueCall> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            SipDirectory.Credentials agent = r.accountId() == null ? null : numbers.get(r.accountId());
            long talked = r.answered() != null && r.ended() != null ? Math.max(0, r.ended().getEpochSecond()
                    - r.answered().getEpochSecond()) : 0;
            QueueDirectory.Info q = names.get(r.queueId());
            out.add(new QueueLogs.QueueCall(r.callId(), r.entryId(), r.queueId(), q == null ? null : q.name(), r.caller(),
                    r.accountId(), agent == null ? null : agent.number(), r.entered(), r.waited(), talked,
                    r.outcome() == null ? "WAITING" : r.outcome()));
        }
        return out;
    }

    private static Row map(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("entry_id"), rs.getString("call_id"), rs.getLong("tenant_id"), Sql.nullableLong(rs, "queue_id"),
                rs.getString("caller"), Sql.nullableLong(rs, "account_id"), Sql.instant(rs, "entered"),
                Sql.instant(rs, "answered"), Sql.instant(rs, "ended"), rs.getLong("waited"), rs.getString("outcome"));
    }
}
