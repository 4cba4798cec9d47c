package org.callibry.server.acd.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.callibry.server.acd.AgentStatusChanged;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
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
    private static final String SELECT = "select s.account_id, s.tenant_id, a.number, s.status, s.reason, s.changed_at"
            + " from agent_status s join sip_account a on a.id = s.account_id";

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    AgentEndpoint(JdbcClient jdbc, ApplicationEventPublisher events) {
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
        return tenant == null ? jdbc.sql(SELECT + " order by a.number").query(AgentEndpoint::map).list()
                : jdbc.sql(SELECT + " where s.tenant_id = ? order by a.number").param(tenant).query(AgentEndpoint::map).list();
    }

    /** The account the call is about: the caller's own (operators), or the one named (supervisors, admins). */
    private long account(Caller caller, Long requested) {
        if (requested != null && caller.role() != Role.OPERATOR) {
            return requested;
        }
        Long own = jdbc.sql("select account_id from app_user where id = ?").param(caller.userId()).query(Long.class)
                .optional().orElse(null);
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
        Long tenant = jdbc.sql("select tenant_id from sip_account where id = ?").param(accountId).query(Long.class).optional()
                .orElseThrow(() -> RpcException.notFound("account", accountId));
        if (!caller.canSee(tenant)) {
            throw RpcException.notFound("account", accountId); // another tenant's account does not exist for this caller
        }
        return tenant;
    }

    private Agents.AgentStatus find(long accountId) {
        return jdbc.sql(SELECT + " where s.account_id = ?").param(accountId).query(AgentEndpoint::map).optional().orElse(null);
    }

    private static Agents.AgentStatus map(ResultSet rs, int row) throws SQLException {
        return new Agents.AgentStatus(rs.getLong(1), rs.getLong(2), rs.getString(3), Agents.Status.valueOf(rs.getString(4)),
                rs.getString(5), rs.getTimestamp(6).toInstant());
    }
}
