package org.callibry.server.acd.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.callibry.server.acd.AgentStatusChanged;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.SipDirectory;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Agents;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** {@code agent.*}: operator status per SIP account (free / unavailable with a reason). */
@Component
class AgentEndpoint {
    private static final String SELECT = "select account_id, tenant_id, status, reason, changed_at from agent_status";

    /** A row of {@code agent_status}; the account's number comes from the directory. */
    private record Row(long accountId, long tenantId, Agents.Status status, String reason, java.time.Instant changedAt) {
    }

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final SipDirectory directory;

    AgentEndpoint(JdbcClient jdbc, ApplicationEventPublisher events, SipDirectory directory) {
        this.directory = directory;
        this.jdbc = jdbc;
        this.events = events;
    }

    @RpcMethod(value = Methods.AGENT_SET_STATUS, roles = {Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN},
            summary = "Set an operator's status: one's own, or (supervisors, admins) that of accountId")
    @Transactional
    Agents.AgentStatus setStatus(Caller caller, Agents.SetStatus params) {
        long accountId = account(caller, params.accountId());
        long tenantId = tenantOf(caller, accountId);
        String reason = params.status() == Agents.Status.FREE || params.reason() == null ? "" : params.reason().strip();
        Agents.AgentStatus s = jdbc.sql("insert into agent_status (account_id, tenant_id, status, reason) values (?, ?, ?, ?)"
                        + " on conflict (account_id) do update set status = excluded.status, reason = excluded.reason, changed_at = now()")
                .params(accountId, tenantId, params.status().name(), reason).update() > 0
                ? find(accountId) : null;
        events.publishEvent(new AgentStatusChanged(s));
        return s;
    }

    @RpcMethod(value = Methods.AGENT_GET_STATUS, roles = {Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN},
            summary = "An operator's status: one's own, or (supervisors, admins) that of accountId")
    Agents.AgentStatus getStatus(Caller caller, Agents.GetStatus params) {
        long accountId = account(caller, params.accountId());
        tenantOf(caller, accountId);
        Agents.AgentStatus s = find(accountId);
        if (s == null) {
            throw RpcException.notFound("agent status of account", accountId);
        }
        return s;
    }

    @RpcMethod(value = Methods.AGENT_LIST, roles = {Role.SUPERVISOR, Role.ADMIN}, summary = "Statuses of a tenant's operators")
    List<Agents.AgentStatus> list(Caller caller, Agents.ListParams params) {
        Long tenant = caller.scopeTenant(params.tenantId(), "tenantId");
        List<Row> rows = tenant == null ? jdbc.sql(SELECT).query(AgentEndpoint::map).list()
                : jdbc.sql(SELECT + " where tenant_id = ?").param(tenant).query(AgentEndpoint::map).list();
        return withNumbers(rows);
    }

    /** The account the call is about: the caller's own (operators), or the one named (supervisors, admins). */
    private long account(Caller caller, Long requested) {
        if (requested != null && caller.role() != Role.OPERATOR) {
            return requested;
        }
        Long own = directory.accountOfUser(caller.userId()).orElse(null);
        if (own == null) {
            throw RpcException.invalid("accountId", requested != null ? "an operator may only set its own status"
                    : "user " + caller.username() + " is not linked to a SIP account");
        }
        if (requested != null && !requested.equals(own)) {
            throw RpcException.forbidden("accountId", "an operator may only set its own status");
        }
        return own;
    }

    private long tenantOf(Caller caller, long accountId) {
        long tenant = directory.account(accountId).map(SipDirectory.Credentials::tenantId)
                .orElseThrow(() -> RpcException.notFound("account", accountId));
        if (!caller.canSee(tenant)) {
            throw RpcException.notFound("account", accountId); // another tenant's account does not exist for this caller
        }
        return tenant;
    }

    private Agents.AgentStatus find(long accountId) {
        List<Agents.AgentStatus> found = withNumbers(jdbc.sql(SELECT + " where account_id = ?").param(accountId)
                .query(AgentEndpoint::map).list());
        return found.isEmpty() ? null : found.getFirst();
    }

    /** The statuses of accounts that still exist, with their numbers, by number. */
    private List<Agents.AgentStatus> withNumbers(List<Row> rows) {
        Map<Long, SipDirectory.Credentials> accounts = directory.accounts(rows.stream().map(Row::accountId).toList());
        return rows.stream().filter(r -> accounts.containsKey(r.accountId()))
                .map(r -> new Agents.AgentStatus(r.accountId(), r.tenantId(), accounts.get(r.accountId()).number(), r.status(),
                        r.reason(), r.changedAt()))
                .sorted(Comparator.comparing(Agents.AgentStatus::number)).toList();
    }

    private static Row map(ResultSet rs, int row) throws SQLException {
        return new Row(rs.getLong(1), rs.getLong(2), Agents.Status.valueOf(rs.getString(3)), rs.getString(4),
                rs.getTimestamp(5).toInstant());
    }
}
