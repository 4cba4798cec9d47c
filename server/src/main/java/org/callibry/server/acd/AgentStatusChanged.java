package org.callibry.server.acd;

import org.callibry.shared.api.dto.Agents;

/**
 * An agent's chosen status or live state changed (pushed to the tenant's API clients as
 * {@code agent.statusChanged}).
 *
 * @param agentId the agent entity (queue log key); {@code status.accountId()} is its phone now
 * @param at      when it changed (the ACD's clock)
 */
public record AgentStatusChanged(long agentId, Agents.AgentStatus status, java.time.Instant at) {
}
