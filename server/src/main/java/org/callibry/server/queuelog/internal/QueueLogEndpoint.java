package org.callibry.server.queuelog.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.callibry.server.api.ApiAuthentication;
import org.callibry.server.api.Caller;
import org.callibry.server.api.HttpErrors;
import org.callibry.server.api.QueryParameters;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.QueueLogs;
import org.callibry.shared.csv.Csv;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ContentDisposition;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code queue.log}: the logged events of a time range, oldest first, paged; and
 * {@code GET /api/queue-log.csv}: one row per queue call (queue, caller, agent, entered, waited,
 * talked, outcome). Roles and tenant scope as {@code cdr.search}.
 */
@RestController
class QueueLogEndpoint {
    static final Role[] ROLES = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER};
    private static final String COLUMNS = "id, at, tenant_id, queue_id, call_id, entry_id, event, caller, agent_id, account_id,"
            + " position, wait_seconds, status, state, detail";
    private static final Set<String> PARAMS = Set.of("timeFrom", "timeTo", "queueId", "tenantId");
    static final String[] HEADER = {"callId", "queue", "caller", "agent", "entered", "waitedSeconds", "talkedSeconds",
            "outcome"};

    private final JdbcClient jdbc;
    private final QueueCalls calls;
    private final ApiAuthentication auth;

    QueueLogEndpoint(JdbcClient jdbc, QueueCalls calls, ApiAuthentication auth) {
        this.jdbc = jdbc;
        this.calls = calls;
        this.auth = auth;
    }

    @RpcMethod(value = Methods.QUEUE_LOG, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Queue log events in [timeFrom, timeTo), oldest first, of a queue or an agent's account, paged")
    QueueLogs.SearchResult search(Caller caller, QueueLogs.SearchParams p) {
        if (!p.timeTo().isAfter(p.timeFrom())) {
            throw RpcException.invalid("timeTo", "must be after timeFrom");
        }
        Long tenant = caller.scopeTenant(p.tenantId(), "tenantId");
        Sql.Where where = new Sql.Where().eq("tenant_id", tenant).eq("queue_id", p.queueId()).eq("account_id", p.accountId());
        int offset = p.offset() == null ? 0 : p.offset();
        int limit = p.limit() == null ? Sql.DEFAULT_LIMIT : p.limit();
        String range = (where.sql().isEmpty() ? " where" : where.sql() + " and") + " at >= :timeFrom and at < :timeTo";
        List<QueueLogs.Entry> items = jdbc.sql("select " + COLUMNS + " from queue_log" + range + " order by at, id"
                        + " limit :limit offset :offset").params(where.params())
                .param("timeFrom", java.sql.Timestamp.from(p.timeFrom())).param("timeTo", java.sql.Timestamp.from(p.timeTo()))
                .param("limit", limit).param("offset", offset).query(QueueLogEndpoint::map).list();
        long total = jdbc.sql("select count(*) from queue_log" + range).params(where.params())
                .param("timeFrom", java.sql.Timestamp.from(p.timeFrom())).param("timeTo", java.sql.Timestamp.from(p.timeTo()))
                .query(Long.class).single();
        return new QueueLogs.SearchResult(items, total, offset, limit);
    }

    @RpcMethod(value = Methods.QUEUE_CALLS, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Queue calls that entered in [timeFrom, timeTo), oldest first: queue, caller, agent, entered, "
                    + "waited, talked, outcome (the rows of GET /api/queue-log.csv), paged")
    Page<QueueLogs.QueueCall> calls(Caller caller, QueueLogs.CallsParams p) {
        if (!p.timeTo().isAfter(p.timeFrom())) {
            throw RpcException.invalid("timeTo", "must be after timeFrom");
        }
        Long tenant = caller.scopeTenant(p.tenantId(), "tenantId");
        int offset = p.offset() == null ? 0 : p.offset();
        int limit = p.limit() == null ? Sql.DEFAULT_LIMIT : p.limit();
        return calls.page(p.timeFrom(), p.timeTo(), tenant, p.queueId(), offset, limit);
    }

    @GetMapping("/api/queue-log.csv")
    void download(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = auth.require(request, ROLES);
        Map<String, String> p = QueryParameters.single(request.getParameterMap(), PARAMS);
        Instant from = instant(p, "timeFrom", true);
        Instant to = instant(p, "timeTo", true);
        if (!to.isAfter(from)) {
            throw RpcException.invalid("timeTo", "must be after timeFrom");
        }
        Long tenant = caller.scopeTenant(QueryParameters.number(p, "tenantId"), "tenantId");
        Long queue = QueryParameters.number(p, "queueId");
        List<QueueLogs.QueueCall> rows = calls.calls(from, to, tenant, queue);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/csv; charset=UTF-8; header=present");
        response.setHeader("Content-Disposition", ContentDisposition.attachment().filename("queue-log.csv").build().toString());
        try (Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            Csv.guardedRow(out, HEADER);
            for (QueueLogs.QueueCall c : rows) {
                Csv.guardedRow(out, c.callId(), c.queue(), c.caller(), c.agent(), c.entered() == null ? null : c.entered().toString(),
                        Long.toString(c.waitedSeconds()), Long.toString(c.talkedSeconds()), c.outcome());
            }
        } catch (IOException | UncheckedIOException e) {
            // the client went away mid-download
        }
    }

    private static Instant instant(Map<String, String> p, String name, boolean required) {
        Instant t = QueryParameters.instant(p, name);
        if (t == null && required) {
            throw RpcException.invalid(name, "is required (an ISO-8601 instant, e.g. 2026-11-27T10:00:00Z)");
        }
        return t;
    }

    @ExceptionHandler(RpcException.class)
    ResponseEntity<Map<String, Object>> rpcError(RpcException e) {
        return HttpErrors.of(e);
    }

    private static QueueLogs.Entry map(ResultSet rs, int n) throws SQLException {
        return new QueueLogs.Entry(rs.getString("id"), Sql.instant(rs, "at"), rs.getLong("tenant_id"),
                Sql.nullableLong(rs, "queue_id"), rs.getString("call_id"), rs.getString("entry_id"), rs.getString("event"),
                rs.getString("caller"), Sql.nullableLong(rs, "agent_id"), Sql.nullableLong(rs, "account_id"),
                rs.getInt("position"), rs.getLong("wait_seconds"), rs.getString("status"), rs.getString("state"),
                rs.getString("detail"));
    }
}
