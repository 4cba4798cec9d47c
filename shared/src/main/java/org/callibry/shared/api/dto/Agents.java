package org.callibry.shared.api.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Operator (agent) status: free to take calls, or unavailable with a reason. The first part of the
 * ACD's agent states; the queues issue adds ringing, busy and the rest.
 */
public final class Agents {
    private Agents() {
    }

    public enum Status { FREE, UNAVAILABLE }

    /** The status of one SIP account's operator. */
    public record AgentStatus(long accountId, long tenantId, String number, Status status, String reason, Instant changedAt) {
    }

    /**
     * {@code agent.setStatus}: an operator sets its own (the account its user is linked to); a supervisor
     * or admin may name {@code accountId}.
     */
    public record SetStatus(@NotNull Status status, @Size(max = 200) String reason, @Positive Long accountId) {
    }

    /** {@code agent.getStatus}: one's own, or {@code accountId} for supervisors and admins. */
    public record GetStatus(@Positive Long accountId) {
    }

    /** {@code agent.list}: every account with a status set, of the tenant (admins may name one). */
    public record ListParams(@Positive Long tenantId) {
    }
}
