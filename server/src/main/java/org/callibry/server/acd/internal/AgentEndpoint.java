package org.callibry.server.acd.internal;

import java.util.List;
import java.util.Optional;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.SipDirectory;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Agents;
import org.springframework.stereotype.Component;

/** {@code agent.*}: an agent's chosen status (free, paused with a reason, logged out) and its live state. */
@Component
class AgentEndpoint {
    private final QueueStore store;
    private final AcdService service;
    private final SipDirectory directory;

    AgentEndpoint(QueueStore store, AcdService service, SipDirectory directory) {
        this.store = store;
        this.service = service;
        this.directory = directory;
    }

    @RpcMethod(value = Methods.AGENT_SET_STATUS, roles = {Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN},
            summary = "Set an agent's chosen status (FREE, PAUSED with a reason, UNAVAILABLE = logged out): one's own,"
                    + " or (supervisors, admins) that of accountId")
    Agents.AgentStatus setStatus(Caller caller, Agents.SetStatus params) {
        long accountId = account(caller, params.accountId());
        long tenantId = tenantOf(caller, accountId);
        String reason = params.status() == Agents.Status.FREE || params.reason() == null ? "" : params.reason().strip();
        long agentId = agent(caller, accountId, tenantId);
        return service.acd().setStatus(agentId, params.status(), reason);
    }

    @RpcMethod(value = Methods.AGENT_GET_STATUS, roles = {Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN},
            summary = "An agent's chosen status and live state: one's own, or (supervisors, admins) that of accountId")
    Agents.AgentStatus getStatus(Caller caller, Agents.GetStatus params) {
        long accountId = account(caller, params.accountId());
        tenantOf(caller, accountId);
        return service.acd().agentView(accountId)
                .orElseThrow(() -> RpcException.notFound("agent status of account", accountId));
    }

    @RpcMethod(value = Methods.AGENT_LIST, roles = {Role.SUPERVISOR, Role.ADMIN},
            summary = "A tenant's agents: chosen status, live state, since when, current call and queue")
    List<Agents.AgentStatus> list(Caller caller, Agents.ListParams params) {
        return service.acd().agentViews(caller.scopeTenant(params.tenantId(), "tenantId"));
    }

    /** The agent entity at the account, created on first use (linked to the operator's user when it is the caller's own). */
    private long agent(Caller caller, long accountId, long tenantId) {
        Optional<Long> known = service.acd().agentIdOf(accountId);
        if (known.isPresent() && caller.role() != Role.OPERATOR) {
            return known.get();
        }
        QueueStore.AgentRow row = store.agentOf(accountId, tenantId, caller.role() == Role.OPERATOR ? caller.userId() : null);
        if (known.isEmpty() || caller.role() == Role.OPERATOR) {
            service.agentChanged(row);
        }
        return row.id();
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
}
