package org.callibry.shared.api.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Agents (operators at SIP accounts): the status an agent or a supervisor chooses (free, paused with
 * a reason, unavailable = logged out) and the live state that follows SIP reality (offline, ringing,
 * busy, wrap-up, ...).
 */
public final class Agents {
    private Agents() {
    }

    /** The chosen status. */
    public enum Status { FREE, PAUSED, UNAVAILABLE }

    /** The live state: what the agent is doing now. */
    public enum State { OFFLINE, FREE, RINGING, BUSY, WRAP_UP, PAUSED, UNAVAILABLE }

    /**
     * One agent: its chosen status (with reason and when it was chosen) and its live state.
     *
     * @param state        the live state, since {@code stateSince}
     * @param callId       the call it is ringing for or talking in, or null
     * @param queueId      the queue of that call (or of the wrap-up), or null
     * @param wrapUpEndsAt when the wrap-up ends (state {@code WRAP_UP}), or null
     */
    public record AgentStatus(long accountId, long tenantId, String number, Status status, String reason, Instant changedAt,
                              State state, Instant stateSince, String callId, Long queueId, Instant wrapUpEndsAt) {

        /** The chosen status alone, before the live state is known. */
        public AgentStatus(long accountId, long tenantId, String number, Status status, String reason, Instant changedAt) {
            this(accountId, tenantId, number, status, reason, changedAt, null, null, null, null, null);
        }
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

    /** {@code agent.list}: every agent (queue member or account with a status) of the tenant (admins may name one). */
    public record ListParams(@Positive Long tenantId) {
    }
}
