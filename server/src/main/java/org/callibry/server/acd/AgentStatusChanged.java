package org.callibry.server.acd;

import org.callibry.shared.api.dto.Agents;

/** An operator's status changed (pushed to the tenant's API clients as {@code agent.statusChanged}). */
public record AgentStatusChanged(Agents.AgentStatus status) {
}
