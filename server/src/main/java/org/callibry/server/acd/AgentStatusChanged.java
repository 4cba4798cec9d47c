package org.callibry.server.acd;

import org.callibry.server.api.PushNotification;
import org.callibry.shared.api.dto.Agents;

/** An operator's status changed; pushed to the tenant's API clients as {@code agent.statusChanged}. */
public record AgentStatusChanged(Agents.AgentStatus status) implements PushNotification {

    @Override
    public String method() {
        return "agent.statusChanged";
    }

    @Override
    public Object params() {
        return status;
    }

    @Override
    public Long tenantId() {
        return status.tenantId();
    }
}
