package org.callibry.server.acd.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.callibry.server.calls.CallSession;
import org.callibry.shared.api.dto.Queues;

/**
 * A caller waiting in a queue: a call on the line, or a callback request (the caller hung up and
 * keeps its place). Served by priority (higher first), then by the time it entered (its first queue:
 * a move keeps the wait), then by arrival order. Mutable; guarded by the {@link Acd}'s lock.
 */
final class Entry {
    final String id;
    final String callId;
    final long tenantId;
    final String caller;
    final Instant enteredAt;
    final long seq;
    QueueRuntime queue;
    /** Not offered before this (a callback retry waits), or null. */
    Instant notBefore;
    /** The agent that took it and its leg (answered), and the leg being set up by a transfer or overflow. */
    Agent agent;
    CallSession agentLeg;
    boolean transferring;
    /** Supervisors listening to this call, by their account: their leg and mode. */
    final java.util.Map<Long, Listening> listening = new java.util.concurrent.ConcurrentHashMap<>();

    /** A supervisor's leg on the call and how it joined. */
    static final class Listening {
        volatile CallSession leg;
        volatile org.callibry.shared.api.dto.Calls.ListenMode mode;

        Listening(org.callibry.shared.api.dto.Calls.ListenMode mode) {
            this.mode = mode;
        }
    }
    Instant answeredAt;
    int priority;
    Queues.Kind kind;
    /** The caller's leg on the media server (null for a callback). */
    CallSession session;
    /** Number a callback goes to. */
    String callbackNumber;
    int attempts;
    /** Agents ringing for it now, and their pending legs. */
    final List<Agent> ringing = new ArrayList<>();
    final List<CompletableFuture<CallSession>> legs = new ArrayList<>();
    /** Agents that did not take it in this round (not offered again until every candidate has been). */
    final Set<Long> tried = new HashSet<>();
    /** An agent named by the supervisor ({@code queue.directToAgent}): offered to it alone, now. */
    Agent direct;
    /** Offers that failed in a row (declined, refused), for the back-off. */
    int failedOffers;
    /** Lowest position announced (a position announced never goes up). */
    int announced = Integer.MAX_VALUE;
    boolean served;
    AcdClock.Timer maxWaitTimer;

    Entry(String id, String callId, long tenantId, String caller, Instant enteredAt, long seq, QueueRuntime queue, int priority,
          Queues.Kind kind) {
        this.id = id;
        this.callId = callId;
        this.tenantId = tenantId;
        this.caller = caller;
        this.enteredAt = enteredAt;
        this.seq = seq;
        this.queue = queue;
        this.priority = priority;
        this.kind = kind;
    }

    boolean offered() {
        return !ringing.isEmpty();
    }

    long waitSeconds(Instant now) {
        return Math.max(0, now.getEpochSecond() - enteredAt.getEpochSecond());
    }
}
