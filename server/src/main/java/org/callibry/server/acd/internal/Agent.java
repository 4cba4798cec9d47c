package org.callibry.server.acd.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import org.callibry.shared.api.dto.Agents;

/**
 * One agent as the ACD sees it now: the operator entity ({@code agentId}) at its SIP account, the
 * status it chose, and what SIP says of it (registered, in calls). Mutable; guarded by the
 * {@link Acd}'s lock.
 */
final class Agent {
    final long agentId;
    final long tenantId;
    long accountId;
    String number;
    Long userId;
    /** The chosen status; null: never chosen (a registered agent is then free). */
    Agents.Status status;
    String reason = "";
    Instant changedAt;
    boolean registered;
    /** Calls through the proxy this agent's number is a party of (any call: private, outgoing, queue legs). */
    final Set<String> calls = new HashSet<>();
    /** The queue entry it is being offered, or null. */
    Entry offer;
    /** The queue call it is talking in, or null. */
    Entry talking;
    /** End of the wrap-up after its last queue call, or null. */
    Instant wrapUpUntil;
    Long wrapUpQueueId;
    AcdClock.Timer wrapUpTimer;
    int missedInRow;
    /** When its last queue call ended (LEAST_RECENT), and its queue calls answered today (FEWEST_CALLS). */
    Instant lastCallEnded = Instant.EPOCH;
    int callsToday;
    LocalDate callsDay;
    /** The state and time last published, to publish only changes. */
    Agents.State published;
    Instant stateSince;

    Agent(long agentId, long tenantId, long accountId, String number) {
        this.agentId = agentId;
        this.tenantId = tenantId;
        this.accountId = accountId;
        this.number = number;
    }

    Agents.State state(Instant now) {
        if (status == Agents.Status.UNAVAILABLE) {
            return Agents.State.UNAVAILABLE;
        }
        if (!registered) {
            return Agents.State.OFFLINE;
        }
        if (offer != null) {
            return Agents.State.RINGING;
        }
        if (talking != null || !calls.isEmpty()) {
            return Agents.State.BUSY;
        }
        if (wrapUpUntil != null && wrapUpUntil.isAfter(now)) {
            return Agents.State.WRAP_UP;
        }
        if (status == Agents.Status.PAUSED) {
            return Agents.State.PAUSED;
        }
        return Agents.State.FREE;
    }

    /** Logged in (may take calls once free): registered and not logged out. */
    boolean loggedIn() {
        return registered && status != Agents.Status.UNAVAILABLE;
    }

    void answeredOne(LocalDate today) {
        if (!today.equals(callsDay)) {
            callsDay = today;
            callsToday = 0;
        }
        callsToday++;
    }

    int callsToday(LocalDate today) {
        return today.equals(callsDay) ? callsToday : 0;
    }

    Agents.AgentStatus view(Instant now) {
        Agents.State s = state(now);
        Entry e = offer != null ? offer : talking;
        return new Agents.AgentStatus(accountId, tenantId, number, status == null ? Agents.Status.FREE : status, reason,
                changedAt, s, stateSince == null ? now : stateSince, e == null ? null : e.callId,
                e != null ? Long.valueOf(e.queue.id()) : s == Agents.State.WRAP_UP ? wrapUpQueueId : null,
                s == Agents.State.WRAP_UP ? wrapUpUntil : null);
    }
}
