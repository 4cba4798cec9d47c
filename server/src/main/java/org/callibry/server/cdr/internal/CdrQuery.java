package org.callibry.server.cdr.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.recording.RecordingIndex;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.dto.Cdrs;

/**
 * The SQL of a CDR search, shared by {@code cdr.search} and the CSV export: the filter as conditions
 * the indexes of {@code V3__cdr.sql} serve, scoped to the caller's tenant, newest first.
 */
final class CdrQuery {
    static final String COLUMNS = "id, call_id, a_number, b_number, a_number_routed, b_number_routed, source, destination,"
            + " route_name, tenant_id, started_at, answered_at, ended_at, duration_ms, disposition, sip_code, reason, created_at";
    /** A page's rows come without their recording, which the recording module adds ({@link #withRecordings}). */
    static final String NO_RECORDING = "null::bigint as recording_id";
    /** Newest first; the id breaks ties so pages never overlap. Served by a backward scan of {@code cdr_pk}. */
    static final String ORDER = "started_at desc, id desc";

    private CdrQuery() {
    }

    /** The conditions of {@code filter} for {@code caller}: a tenant-bound caller sees its tenant only. */
    static Sql.Where where(Caller caller, Cdrs.Filter filter) {
        Long tenant = caller.scopeTenant(filter.tenantId(), "tenantId");
        if (filter.timeFrom() != null && filter.timeTo() != null && !filter.timeTo().isAfter(filter.timeFrom())) {
            throw RpcException.invalid("timeTo", "must be after timeFrom");
        }
        Sql.Where where = new Sql.Where().eq("tenant_id", tenant).eq("disposition", filter.disposition());
        Cdrs.Match match = filter.match() == null ? Cdrs.Match.PREFIX : filter.match();
        number(where, "a_number", "aNumber", filter.from(), match);
        number(where, "b_number", "bNumber", filter.to(), match);
        if (filter.timeFrom() != null) {
            where.and("started_at >= :timeFrom", "timeFrom", time(filter.timeFrom()));
        }
        if (filter.timeTo() != null) {
            where.and("started_at < :timeTo", "timeTo", time(filter.timeTo()));
        }
        if (filter.route() != null && !filter.route().isBlank()) {
            where.and("lower(route_name) = :route", "route", filter.route().strip().toLowerCase(Locale.ROOT));
        }
        return where;
    }

    /** {@code lower(column)} against the value: {@code like 'v%'} (index range scan), {@code like '%v%'}, or {@code =}. */
    private static void number(Sql.Where where, String column, String param, String value, Cdrs.Match match) {
        if (value == null || value.isBlank()) {
            return;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        switch (match) {
            case EXACT -> where.and("lower(" + column + ") = :" + param, param, v);
            case PREFIX -> where.and("lower(" + column + ") like :" + param, param, escapeLike(v) + "%");
            case SUBSTRING -> where.and("lower(" + column + ") like :" + param, param, "%" + escapeLike(v) + "%");
        }
    }

    /** The value as a literal inside a LIKE pattern (backslash is PostgreSQL's default LIKE escape). */
    static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Object time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** The page with each call's latest usable recording, asked of the recording module in one query. */
    static List<Cdrs.Cdr> withRecordings(List<Cdrs.Cdr> page, RecordingIndex recordings) {
        Map<String, Long> ids = recordings.latestByCall(page.stream().map(Cdrs.Cdr::callId).distinct().toList());
        return page.stream().map(c -> !ids.containsKey(c.callId()) ? c : new Cdrs.Cdr(c.id(), c.callId(), c.aNumber(), c.bNumber(),
                c.aNumberRouted(), c.bNumberRouted(), c.source(), c.destination(), c.routeName(), c.tenantId(), c.startedAt(),
                c.answeredAt(), c.endedAt(), c.durationMs(), c.disposition(), c.sipCode(), c.reason(), c.createdAt(),
                ids.get(c.callId()))).toList();
    }

    static Cdrs.Cdr map(ResultSet rs, int n) throws SQLException {
        return new Cdrs.Cdr(rs.getString("id"), rs.getString("call_id"), rs.getString("a_number"), rs.getString("b_number"),
                rs.getString("a_number_routed"), rs.getString("b_number_routed"), rs.getString("source"),
                rs.getString("destination"), rs.getString("route_name"), Sql.nullableLong(rs, "tenant_id"),
                Sql.instant(rs, "started_at"), Sql.instant(rs, "answered_at"), Sql.instant(rs, "ended_at"),
                rs.getLong("duration_ms"), Cdrs.Disposition.valueOf(rs.getString("disposition")), rs.getInt("sip_code"),
                rs.getString("reason"), Sql.instant(rs, "created_at"), Sql.nullableLong(rs, "recording_id"));
    }
}
