package org.callibry.server.acd.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.callibry.server.acd.AgentStatusChanged;
import org.callibry.server.acd.QueueEvent;
import org.callibry.server.api.PushNotification;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallOutcome;
import org.callibry.server.calls.CallSession;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Calls;
import org.callibry.shared.api.dto.Queues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The ACD at run time: queues, agents and waiting callers in memory under one lock, the distribution
 * decision ({@link Distribution}) after every change, and the calls that follow from it through the
 * call-control API: offers to agents (each a leg of the caller's call id, with {@code X-Callibry-Queue} and
 * {@code X-Callibry-Queue-Wait}, {@code X-Callibry-Call-Id}),
 * the bridge on answer, wrap-up, callbacks, overflows, moves, kicks and transfers. SIP and the database
 * are never touched under the lock; events are published after it is released.
 */
final class Acd {
    private static final Logger log = LoggerFactory.getLogger(Acd.class);
    static final String QUEUE_HEADER = "X-Callibry-Queue";
    /** On an offer to an agent: the seconds the caller has waited in the queue (the console's card shows it). */
    static final String WAIT_HEADER = "X-Callibry-Queue-Wait";
    /**
     * On offers and transfers to agents: the id shared by all legs of the caller's call (CDRs, recordings,
     * notes on the console), which the proxy's own X-Callibry-Call header does not carry past it.
     */
    static final String CALL_ID_HEADER = "X-Callibry-Call-Id";
    /** Offers of one caller that may fail in a row before the next waits (back-off). */
    static final int FAILURES_BEFORE_BACKOFF = 3;

    /** What the ACD needs from outside, so tests can drive it without Spring. */
    interface Port {
        CompletableFuture<CallSession> originate(CallControl.Originate request);

        void publish(Object event);

        /** Persist (off the lock): a chosen status, a callback request, its end. */
        void saveStatus(long agentId, Agents.Status status, String reason);

        void saveCallback(QueueStore.CallbackRow row);

        void deleteCallback(String id);

        /** The number of a SIP account (an overflow to an account that is no agent), if it exists. */
        default Optional<String> accountNumber(long accountId) {
            return Optional.empty();
        }
    }

    final ReentrantLock lock = new ReentrantLock();
    private final Port port;
    private final AcdClock clock;
    private final Distribution distribution;
    private final AgentReservations reservations;
    private final Map<Long, QueueRuntime> queues = new HashMap<>();
    /** The same queues in feeding order, redone when a queue changes: the decision then sorts a sorted list. */
    private List<QueueRuntime> feedingOrder = List.of();
    private final Map<Long, Agent> agents = new HashMap<>();
    private final Map<Long, Agent> byAccount = new HashMap<>();
    private final Map<String, Agent> byNumber = new HashMap<>();
    private final Map<String, Entry> entries = new HashMap<>();
    /** Queue numbers for the signaling path: read without the lock. */
    private final Map<String, Long> numbers = new ConcurrentHashMap<>();
    /** Queues whose calls are recorded, for the signaling path: read without the lock. */
    private final Set<Long> recorded = ConcurrentHashMap.newKeySet();
    private final AtomicLong seq = new AtomicLong();
    private volatile boolean stopping;

    Acd(Port port, AcdClock clock, AgentReservations reservations, RandomGenerator random) {
        this.port = port;
        this.clock = clock;
        this.reservations = reservations;
        this.distribution = new Distribution(reservations, random);
    }

    Instant now() {
        return clock.now();
    }

    boolean stopped() {
        return stopping;
    }

    AcdClock clock() {
        return clock;
    }

    // ================================================================== configuration

    /** Adds or replaces an agent (from the store, or when an account joins a queue or sets a status). */
    void agent(QueueStore.AgentRow row, String number, boolean registered) {
        List<Object> out = new ArrayList<>();
        lock.lock();
        try {
            Agent a = agents.get(row.id());
            if (a == null) {
                a = new Agent(row.id(), row.tenantId(), row.accountId(), number);
                a.registered = registered;
                agents.put(a.agentId, a);
            }
            if (a.number != null) {
                byNumber.remove(key(a.tenantId, a.number));
            }
            boolean changed = a.status != row.status() || !java.util.Objects.equals(a.number, number)
                    || !a.reason.equals(row.reason() == null ? "" : row.reason()) || a.published == null;
            a.accountId = row.accountId();
            a.number = number;
            a.userId = row.userId();
            a.status = row.status();
            a.reason = row.reason() == null ? "" : row.reason();
            a.changedAt = row.changedAt();
            byAccount.put(a.accountId, a);
            if (number != null) {
                byNumber.put(key(a.tenantId, number), a);
            }
            touched(a, out, changed);
        } finally {
            release(out);
        }
        drain();
    }

    /** Forgets agents that are no longer stored (their account was deleted); they are in no queue any more. */
    void retainAgents(Set<Long> agentIds) {
        lock.lock();
        try {
            agents.values().removeIf(a -> {
                if (agentIds.contains(a.agentId) || a.offer != null || a.talking != null) {
                    return false;
                }
                byAccount.remove(a.accountId, a);
                if (a.number != null) {
                    byNumber.remove(key(a.tenantId, a.number), a);
                }
                return true;
            });
        } finally {
            lock.unlock();
        }
    }

    /** Adds or replaces a queue's configuration (its members must be known agents). */
    void queue(Queues.Queue config) {
        lock.lock();
        try {
            QueueRuntime q = queues.get(config.id());
            if (q == null) {
                q = new QueueRuntime(config);
                queues.put(config.id(), q);
            } else {
                numbers.remove(key(q.config.tenantId(), q.config.number()));
                q.config = config;
            }
            List<QueueRuntime.Member> members = new ArrayList<>();
            for (Queues.Member m : config.members()) {
                Agent a = byAccount.get(m.accountId());
                if (a != null) {
                    members.add(new QueueRuntime.Member(a, m.penalty()));
                }
            }
            q.members = List.copyOf(members);
            numbers.put(key(config.tenantId(), config.number()), config.id());
            if (config.record()) {
                recorded.add(config.id());
            } else {
                recorded.remove(config.id());
            }
            reorder();
        } finally {
            lock.unlock();
        }
        dispatch();
    }

    /** A queue deleted: its callers are hung up (callbacks dropped). */
    void removeQueue(long id) {
        List<Entry> gone;
        lock.lock();
        try {
            QueueRuntime q = queues.remove(id);
            if (q == null) {
                return;
            }
            numbers.remove(key(q.config.tenantId(), q.config.number()));
            recorded.remove(id);
            reorder();
            gone = q.entries();
        } finally {
            lock.unlock();
        }
        for (Entry e : gone) {
            kick(e.id, null, "queue deleted");
        }
    }

    boolean recorded(long queueId) {
        return recorded.contains(queueId);
    }

    Optional<Long> queueByNumber(long tenantId, String number) {
        return Optional.ofNullable(numbers.get(key(tenantId, number)));
    }

    Optional<Queues.Queue> config(long queueId) {
        lock.lock();
        try {
            QueueRuntime q = queues.get(queueId);
            return q == null ? Optional.empty() : Optional.of(q.config);
        } finally {
            lock.unlock();
        }
    }

    private void reorder() {
        List<QueueRuntime> ordered = new ArrayList<>(queues.values());
        ordered.sort(Distribution.FEEDING_ORDER);
        feedingOrder = List.copyOf(ordered);
    }

    private static String key(long tenantId, String number) {
        return tenantId + "|" + number;
    }

    // ================================================================== agents: what SIP says, what they choose

    void registration(long accountId, int contacts) {
        List<Object> out = new ArrayList<>();
        lock.lock();
        try {
            Agent a = byAccount.get(accountId);
            if (a == null || a.registered == (contacts > 0)) {
                return;
            }
            a.registered = contacts > 0;
            touched(a, out, false);
        } finally {
            release(out);
        }
        drain();
        dispatch();
    }

    /** A call through the proxy started: its parties that are agents are busy. */
    void callStarted(String callId, Long tenantId, String a, String b) {
        party(callId, tenantId, a, b, true);
    }

    void callEnded(String callId, Long tenantId, String a, String b) {
        party(callId, tenantId, a, b, false);
        dispatch();
    }

    private void party(String callId, Long tenantId, String a, String b, boolean started) {
        if (tenantId == null) {
            return;
        }
        List<Object> out = new ArrayList<>();
        lock.lock();
        try {
            String call = callId + "|" + a + "|" + b;
            for (String n : new String[] {a, b}) {
                Agent agent = n == null ? null : byNumber.get(key(tenantId, n));
                if (agent != null && (started ? agent.calls.add(call) : agent.calls.remove(call))) {
                    touched(agent, out, false);
                }
            }
        } finally {
            release(out);
        }
        drain();
    }

    /** The chosen status (by the agent, a supervisor, or the auto-pause). */
    Agents.AgentStatus setStatus(long agentId, Agents.Status status, String reason) {
        List<Object> out = new ArrayList<>();
        Agents.AgentStatus view;
        lock.lock();
        try {
            Agent a = agents.get(agentId);
            if (a == null) {
                return null;
            }
            a.status = status;
            a.reason = status == Agents.Status.FREE ? "" : reason == null ? "" : reason;
            a.changedAt = now();
            if (status == Agents.Status.FREE) {
                a.missedInRow = 0;
            }
            touched(a, out, true);
            view = a.view(now());
        } finally {
            release(out);
        }
        port.saveStatus(agentId, status, view.reason());
        drain();
        dispatch();
        return view;
    }

    Optional<Agents.AgentStatus> agentView(long accountId) {
        lock.lock();
        try {
            Agent a = byAccount.get(accountId);
            return a == null ? Optional.empty() : Optional.of(a.view(now()));
        } finally {
            lock.unlock();
        }
    }

    Optional<Long> agentIdOf(long accountId) {
        lock.lock();
        try {
            Agent a = byAccount.get(accountId);
            return a == null ? Optional.empty() : Optional.of(a.agentId);
        } finally {
            lock.unlock();
        }
    }

    List<Agents.AgentStatus> agentViews(Long tenantId) {
        lock.lock();
        try {
            Instant now = now();
            return agents.values().stream().filter(a -> tenantId == null || a.tenantId == tenantId)
                    .filter(a -> a.number != null)
                    .map(a -> a.view(now)).sorted(java.util.Comparator.comparing(Agents.AgentStatus::number)).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Publishes the agent's view when its state (or, {@code always}, its chosen status) changed. */
    private void touched(Agent a, List<Object> out, boolean always) {
        Instant now = now();
        Agents.State s = a.state(now);
        if (s != a.published) {
            a.published = s;
            a.stateSince = now;
        } else if (!always) {
            return;
        }
        out.add(new AgentStatusChanged(a.agentId, a.view(now), now));
    }

    // ================================================================== callers

    /**
     * A caller reached the queue (its leg answered on the media server by the caller's {@link WaitingCaller}).
     * Returns its entry, or empty when the queue cannot take it: full or without agents, with the overflow to use.
     */
    Admission admit(long queueId, CallSession session) {
        return admit(queueId, session, false);
    }

    /** As {@link #admit(long, CallSession)}; a {@code closed} queue sends the caller to its overflow when closed, or refuses it. */
    Admission admit(long queueId, CallSession session, boolean closed) {
        lock.lock();
        try {
            QueueRuntime q = queues.get(queueId);
            if (q == null || stopping) {
                return new Admission(null, null, null, q == null ? "no such queue" : "server stopping");
            }
            Queues.Queue c = q.config;
            if (closed) {
                return new Admission(null, c, c.overflowWhenClosed(), CLOSED);
            }
            if (c.maxWaiting() > 0 && q.waiting.size() >= c.maxWaiting()) {
                return new Admission(null, c, c.overflowWhenFull(), "queue full");
            }
            if (c.overflowNoAgents() != null && q.loggedIn() == 0) {
                return new Admission(null, c, c.overflowNoAgents(), "no agent logged in");
            }
            Entry e = new Entry(UUID.randomUUID().toString(), session.callId(), c.tenantId(), session.caller(), now(),
                    seq.incrementAndGet(), q, c.priority(), Queues.Kind.CALL);
            e.session = session;
            return new Admission(e, c, null, null);
        } finally {
            lock.unlock();
        }
    }

    record Admission(Entry entry, Queues.Queue queue, Queues.Overflow overflow, String refusal) {
    }

    /** The refusal of a queue outside its hours. */
    static final String CLOSED = "queue closed";

    /** An entry for a caller the queue sends straight to its overflow (full, no agents): it passes through. */
    Admission admitAnyway(long queueId, CallSession session) {
        lock.lock();
        try {
            QueueRuntime q = queues.get(queueId);
            if (q == null || stopping) {
                return new Admission(null, null, null, "no such queue");
            }
            Entry e = new Entry(UUID.randomUUID().toString(), session.callId(), q.config.tenantId(), session.caller(), now(),
                    seq.incrementAndGet(), q, q.config.priority(), Queues.Kind.CALL);
            e.session = session;
            return new Admission(e, q.config, null, null);
        } finally {
            lock.unlock();
        }
    }

    /** The admitted caller starts waiting (after its leg is answered). */
    void enter(Entry e) {
        List<Object> out = new ArrayList<>();
        lock.lock();
        try {
            QueueRuntime q = e.queue;
            q.waiting.add(e);
            entries.put(e.id, e);
            if (q.config.maxWaitSeconds() > 0) {
                e.maxWaitTimer = clock.schedule(Duration.ofSeconds(q.config.maxWaitSeconds()), () -> timedOut(e));
            }
            event(out, QueueEvent.Type.ENTERED, e, null, "");
            waitingChanged(q, out);
        } finally {
            release(out);
        }
        drain();
        dispatch();
    }

    int position(Entry e) {
        lock.lock();
        try {
            return e.queue.position(e);
        } finally {
            lock.unlock();
        }
    }

    /** Position and estimated wait for an announcement; position 0: no longer waiting. */
    int[] announcement(Entry e) {
        List<Object> out = new ArrayList<>();
        int[] r;
        lock.lock();
        try {
            int p = e.queue.position(e);
            if (p == 0 || e.served) {
                return new int[] {0, 0};
            }
            p = Math.min(p, e.announced);
            e.announced = p;
            r = new int[] {p, (int) e.queue.estimatedWaitSeconds(p)};
            event(out, QueueEvent.Type.ANNOUNCED, e, null, "position " + p);
        } finally {
            release(out);
        }
        drain();
        return r;
    }

    /** The caller's leg ended: a caller still waiting abandoned. */
    void callerLeft(Entry e, String reason) {
        List<Object> out = new ArrayList<>();
        List<CompletableFuture<CallSession>> cancel;
        lock.lock();
        try {
            if (e.kind == Queues.Kind.CALLBACK || e.served || !e.queue.waiting.contains(e)) {
                return;
            }
            int position = e.queue.position(e);
            cancel = unqueue(e, out);
            event(out, QueueEvent.Type.ABANDONED, e, null, reason, position);
            out.add(new CallOutcome(e.callId, CallEnded.Disposition.CANCELLED, "abandoned in queue " + e.queue.config.name()
                    + " after " + e.waitSeconds(now()) + " s at position " + position, now()));
        } finally {
            release(out);
        }
        cancel.forEach(f -> f.cancel(true));
        drain();
        dispatch();
    }

    /** The caller asked for a callback to {@code number}: its entry becomes a callback request in the same place. */
    boolean requestCallback(Entry e, String number) {
        List<Object> out = new ArrayList<>();
        List<CompletableFuture<CallSession>> cancel;
        QueueStore.CallbackRow row;
        lock.lock();
        try {
            if (e.served || !e.queue.waiting.contains(e)) {
                return false;
            }
            cancel = new ArrayList<>(e.legs);
            releaseOffers(e, out);
            e.kind = Queues.Kind.CALLBACK;
            e.callbackNumber = number;
            e.session = null;
            e.tried.clear();
            row = callbackRow(e);
            event(out, QueueEvent.Type.CALLBACK_REQUESTED, e, null, number);
            out.add(new CallOutcome(e.callId, CallEnded.Disposition.ANSWERED, "callback requested to " + number + " in queue "
                    + e.queue.config.name() + " after " + e.waitSeconds(now()) + " s", now()));
            waitingChanged(e.queue, out);
        } finally {
            release(out);
        }
        cancel.forEach(f -> f.cancel(true));
        port.saveCallback(row);
        drain();
        dispatch();
        return true;
    }

    /** A stored callback request (at start): back in its queue, in its place. */
    void restoreCallback(QueueStore.CallbackRow c) {
        lock.lock();
        try {
            QueueRuntime q = queues.get(c.queueId());
            if (q == null) {
                return;
            }
            Entry e = new Entry(c.id(), c.callId(), c.tenantId(), c.caller(), c.enteredAt(), seq.incrementAndGet(), q,
                    c.priority(), Queues.Kind.CALLBACK);
            e.callbackNumber = c.number();
            e.attempts = c.attempts();
            q.waiting.add(e);
            entries.put(e.id, e);
        } finally {
            lock.unlock();
        }
    }

    private QueueStore.CallbackRow callbackRow(Entry e) {
        return new QueueStore.CallbackRow(e.id, e.queue.id(), e.tenantId, e.callId, e.caller, e.callbackNumber, e.priority,
                e.enteredAt, e.attempts);
    }

    private void timedOut(Entry e) {
        Queues.Overflow overflow;
        lock.lock();
        try {
            if (e.served || !e.queue.waiting.contains(e) || e.kind != Queues.Kind.CALL) {
                return;
            }
            overflow = e.queue.config.overflowOnTimeout();
        } finally {
            lock.unlock();
        }
        overflow(e, overflow, QueueEvent.Type.TIMED_OUT, "maximum wait of " + e.queue.config.maxWaitSeconds() + " s");
    }

    /**
     * Sends a waiting caller to an overflow destination (another queue: moved there, keeping its wait; an
     * account or number: called and bridged), or hangs it up when there is none.
     */
    void overflow(Entry e, Queues.Overflow o, QueueEvent.Type why, String reason) {
        if (o != null && o.kind() == Queues.OverflowKind.QUEUE) {
            long target;
            try {
                target = Long.parseLong(o.target());
            } catch (NumberFormatException ex) {
                target = -1;
            }
            if (move(e.id, target, QueueEvent.Type.OVERFLOWED, reason) != null) {
                return;
            }
        }
        String number = o == null ? null : destinationNumber(e.tenantId, o);
        kick(e.id, number, reason);
    }

    private String destinationNumber(long tenantId, Queues.Overflow o) {
        if (o.kind() == Queues.OverflowKind.ACCOUNT) {
            long accountId;
            try {
                accountId = Long.parseLong(o.target());
            } catch (NumberFormatException ex) {
                return null;
            }
            lock.lock();
            try {
                Agent a = byAccount.get(accountId);
                if (a != null) {
                    return a.number;
                }
            } finally {
                lock.unlock();
            }
            return port.accountNumber(accountId).orElse(null);
        }
        return o.target();
    }

    // ================================================================== supervisor control

    List<Queues.Waiting> waiting(long queueId) {
        lock.lock();
        try {
            QueueRuntime q = queues.get(queueId);
            return q == null ? List.of() : views(q);
        } finally {
            lock.unlock();
        }
    }

    private List<Queues.Waiting> views(QueueRuntime q) {
        Instant now = now();
        List<Queues.Waiting> list = new ArrayList<>();
        int pos = 0;
        for (Entry e : q.waiting) {
            list.add(new Queues.Waiting(e.id, q.id(), e.kind == Queues.Kind.CALLBACK ? e.callbackNumber : e.caller, ++pos,
                    e.waitSeconds(now), e.priority, e.kind, e.callId, e.enteredAt));
        }
        return list;
    }

    /** The entry's queue id and tenant, for the API's checks; empty when unknown. */
    Optional<Entry> entry(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(entries.get(id));
        } finally {
            lock.unlock();
        }
    }

    Queues.Waiting setPriority(String id, int priority) {
        List<Object> out = new ArrayList<>();
        Queues.Waiting view = null;
        QueueStore.CallbackRow row = null;
        lock.lock();
        try {
            Entry e = entries.get(id);
            if (e == null || !e.queue.waiting.remove(e)) {
                return null;
            }
            e.priority = priority;
            e.queue.waiting.add(e);
            event(out, QueueEvent.Type.PRIORITY_CHANGED, e, null, Integer.toString(priority));
            waitingChanged(e.queue, out);
            view = find(views(e.queue), id);
            row = e.kind == Queues.Kind.CALLBACK ? callbackRow(e) : null;
        } finally {
            release(out);
        }
        if (row != null) {
            port.saveCallback(row);
        }
        drain();
        dispatch();
        return view;
    }

    /** Moves an entry to another queue of its tenant, keeping its wait; null when either is unknown. */
    Queues.Waiting move(String id, long queueId, QueueEvent.Type why, String reason) {
        List<Object> out = new ArrayList<>();
        List<CompletableFuture<CallSession>> cancel;
        Queues.Waiting view;
        QueueStore.CallbackRow row;
        lock.lock();
        try {
            Entry e = entries.get(id);
            QueueRuntime to = queues.get(queueId);
            if (e == null || to == null || to.config.tenantId() != e.tenantId || e.served || !e.queue.waiting.contains(e)) {
                return null;
            }
            QueueRuntime from = e.queue;
            cancel = unqueue(e, out);
            entries.put(e.id, e);
            e.queue = to;
            e.tried.clear();
            e.announced = Integer.MAX_VALUE;
            to.waiting.add(e);
            if (e.direct != null) {
                to.directs.add(e);
            }
            event(out, why, e, null, "from queue " + from.config.name() + (reason == null ? "" : ": " + reason));
            waitingChanged(to, out);
            if (to.config.maxWaitSeconds() > 0 && e.kind == Queues.Kind.CALL) {
                long left = Math.max(1, to.config.maxWaitSeconds() - e.waitSeconds(now()));
                e.maxWaitTimer = clock.schedule(Duration.ofSeconds(left), () -> timedOut(e));
            }
            view = find(views(to), id);
            row = e.kind == Queues.Kind.CALLBACK ? callbackRow(e) : null;
        } finally {
            release(out);
        }
        cancel.forEach(f -> f.cancel(true));
        if (row != null) {
            port.saveCallback(row);
        }
        drain();
        dispatch();
        return view;
    }

    /**
     * Takes an entry out of its queue: hung up (a callback: dropped) when {@code destination} is null,
     * else connected to that number (the server stays in the path). False when it is not waiting.
     */
    boolean kick(String id, String destination, String reason) {
        List<Object> out = new ArrayList<>();
        List<CompletableFuture<CallSession>> cancel;
        Entry e;
        lock.lock();
        try {
            e = entries.get(id);
            if (e == null || e.served || !e.queue.waiting.contains(e)) {
                return false;
            }
            cancel = unqueue(e, out);
            boolean overflow = reason != null && !reason.startsWith("kicked");
            event(out, overflow ? QueueEvent.Type.OVERFLOWED : QueueEvent.Type.KICKED, e, null,
                    (destination == null ? "hung up" : "to " + destination) + (reason == null ? "" : ": " + reason));
            if (destination == null || e.kind == Queues.Kind.CALLBACK) {
                out.add(new CallOutcome(e.callId, CallEnded.Disposition.NO_ANSWER, (e.kind == Queues.Kind.CALLBACK
                        ? "callback request removed from queue " : "removed from queue ") + e.queue.config.name() + " after "
                        + e.waitSeconds(now()) + " s: " + reason, now()));
            }
            e.served = true;
        } finally {
            release(out);
        }
        cancel.forEach(f -> f.cancel(true));
        if (e.kind == Queues.Kind.CALLBACK) {
            port.deleteCallback(e.id);
        } else if (destination == null) {
            e.session.hangup(reason);
        } else {
            connect(e, destination, reason);
        }
        drain();
        dispatch();
        return true;
    }

    /** {@code queue.directToAgent}: this entry is offered to that agent alone, as soon as it is free. */
    boolean directToAgent(String id, long accountId) {
        List<Object> out = new ArrayList<>();
        List<CompletableFuture<CallSession>> cancel;
        lock.lock();
        try {
            Entry e = entries.get(id);
            Agent a = byAccount.get(accountId);
            if (e == null || a == null || a.tenantId != e.tenantId || e.served || !e.queue.waiting.contains(e)) {
                return false;
            }
            cancel = new ArrayList<>(e.legs);
            releaseOffers(e, out);
            e.direct = a;
            e.queue.directs.add(e);
        } finally {
            release(out);
        }
        cancel.forEach(f -> f.cancel(true));
        drain();
        dispatch();
        return true;
    }

    /** Calls in progress that the ACD handles (waiting, ringing an agent, answered), of a tenant or all. */
    List<Calls.Call> calls(Long tenantId) {
        lock.lock();
        try {
            List<Calls.Call> list = new ArrayList<>();
            for (Entry e : entries.values()) {
                if (tenantId != null && e.tenantId != tenantId || e.kind == Queues.Kind.CALLBACK && e.agentLeg == null) {
                    continue;
                }
                String state = e.agentLeg != null ? "ANSWERED" : e.offered() ? "RINGING" : "WAITING";
                Agent a = e.agent != null ? e.agent : e.ringing.isEmpty() ? null : e.ringing.getFirst();
                list.add(new Calls.Call(e.callId, e.tenantId, e.caller, e.queue.config.number(), e.queue.id(),
                        e.queue.config.name(), a == null ? null : a.accountId, a == null ? null : a.number, state,
                        e.answeredAt != null ? e.answeredAt : e.enteredAt));
            }
            list.sort(java.util.Comparator.comparing(Calls.Call::since));
            return list;
        } finally {
            lock.unlock();
        }
    }

    Optional<Entry> answeredCall(String callId) {
        lock.lock();
        try {
            return entries.values().stream().filter(e -> e.callId.equals(callId) && e.agentLeg != null).findFirst();
        } finally {
            lock.unlock();
        }
    }

    /** {@code call.transfer}: the answered call's caller is connected to {@code destination}; the agent leaves. */
    boolean transfer(String callId, String destination) {
        Entry e = answeredCall(callId).orElse(null);
        if (e == null || e.session == null) {
            return false;
        }
        CompletableFuture<CallSession> leg = port.originate(new CallControl.Originate(destination, e.caller, e.tenantId,
                Duration.ofSeconds(60), e.callId, Map.of(QUEUE_HEADER, e.queue.config.name(), CALL_ID_HEADER, e.callId)));
        leg.whenComplete((s, err) -> {
            if (err != null) {
                log.info("Transfer of {} to {} failed: {}", callId, destination, err.getMessage());
                return;
            }
            CallSession old;
            List<Object> out = new ArrayList<>();
            lock.lock();
            try {
                old = e.agentLeg;
                e.transferring = true;
                e.agentLeg = s;
                event(out, QueueEvent.Type.TRANSFERRED, e, e.agent, "to " + destination);
            } finally {
                release(out);
            }
            e.session.bridge(s);
            crossHangup(e.session, s);
            if (old != null) {
                old.hangup("transferred to " + destination);
            }
            drain();
        });
        return true;
    }

    /**
     * {@code call.listen}: the supervisor's phone ({@code number}) is called as a leg of the answered call
     * and joins it in {@code mode}; a supervisor already on the call changes mode. False when the call is
     * not an answered queue call.
     */
    boolean listen(String callId, long accountId, String number, Calls.ListenMode mode) {
        Entry e = answeredCall(callId).orElse(null);
        if (e == null || e.session == null) {
            return false;
        }
        Entry.Listening existing = e.listening.get(accountId);
        if (existing != null) {
            existing.mode = mode;
            if (existing.leg != null) {
                applyListen(e, existing);
                List<Object> out = new ArrayList<>();
                lock.lock();
                try {
                    out.add(listenEvent(QueueEvent.Type.LISTEN_CHANGED, e, accountId, mode));
                } finally {
                    release(out);
                }
                drain();
            }
            return true;
        }
        Entry.Listening l = new Entry.Listening(mode);
        e.listening.put(accountId, l);
        CompletableFuture<CallSession> leg = port.originate(new CallControl.Originate(number, e.caller, e.tenantId,
                Duration.ofSeconds(30), e.callId, Map.of(QUEUE_HEADER, e.queue.config.name())));
        leg.whenComplete((s, err) -> {
            if (err != null) {
                e.listening.remove(accountId, l);
                return;
            }
            if (e.agentLeg == null || !e.session.active()) {
                e.listening.remove(accountId, l);
                s.hangup("the call ended");
                return;
            }
            l.leg = s;
            applyListen(e, l);
            emit(listenEvent(QueueEvent.Type.LISTEN_STARTED, e, accountId, l.mode));
            s.addListener(new CallSession.Listener() {
                @Override
                public void ended(CallSession leg, String reason) {
                    e.listening.remove(accountId, l);
                    CallSession agent = e.agentLeg;
                    if (agent != null) {
                        agent.hear(leg, false);
                    }
                    e.session.hear(leg, false);
                    emit(listenEvent(QueueEvent.Type.LISTEN_ENDED, e, accountId, l.mode));
                }
            });
            CallSession.Listener hangUpSupervisor = new CallSession.Listener() {
                @Override
                public void ended(CallSession party, String reason) {
                    s.hangup("the call ended");
                }
            };
            e.session.addListener(hangUpSupervisor);
            if (e.agentLeg != null) {
                e.agentLeg.addListener(hangUpSupervisor);
            }
        });
        return true;
    }

    /** Who hears whom: the supervisor both parties; the agent the supervisor unless listening; the caller only in barge. */
    private static void applyListen(Entry e, Entry.Listening l) {
        CallSession sup = l.leg;
        CallSession agent = e.agentLeg;
        if (sup == null || agent == null) {
            return;
        }
        sup.hear(e.session, true);
        sup.hear(agent, true);
        agent.hear(sup, l.mode != Calls.ListenMode.LISTEN);
        e.session.hear(sup, l.mode == Calls.ListenMode.BARGE);
    }

    private QueueEvent listenEvent(QueueEvent.Type type, Entry e, long accountId, Calls.ListenMode mode) {
        return new QueueEvent(type, e.callId, e.id, e.tenantId, e.queue.id(), e.caller, null, accountId, 0, e.waitSeconds(now()),
                mode.name(), now());
    }

    // ================================================================== distribution and delivery

    /** Decides and makes the offers now possible. */
    void dispatch() {
        if (stopping) {
            return;
        }
        List<Distribution.Offer> offers;
        List<Object> out = new ArrayList<>();
        lock.lock();
        try {
            offers = distribution.decide(feedingOrder, now());
            for (Distribution.Offer o : offers) {
                for (Agent a : o.agents()) {
                    touched(a, out, false);
                    event(out, QueueEvent.Type.OFFERED, o.entry(), a, o.entry().kind.name());
                    out.add(new PushNotification("call.offered", new Calls.Offered(o.entry().callId, a.accountId,
                            o.entry().kind == Queues.Kind.CALLBACK ? o.entry().callbackNumber : o.entry().caller,
                            o.entry().queue.id(), o.entry().queue.config.name(), o.entry().waitSeconds(now()), now()),
                            a.tenantId, a.userId));
                }
            }
        } finally {
            release(out);
        }
        drain();
        for (Distribution.Offer o : offers) {
            for (Agent a : o.agents()) {
                offer(o.entry(), a);
            }
        }
    }

    private void offer(Entry e, Agent a) {
        Queues.Queue c = e.queue.config;
        Duration ring = Duration.ofSeconds(c.ringTimeoutSeconds());
        String from = e.kind == Queues.Kind.CALLBACK ? e.callbackNumber : e.caller;
        CompletableFuture<CallSession> leg = port.originate(new CallControl.Originate(a.number, from, e.tenantId,
                ring.plusSeconds(30), e.callId, Map.of(QUEUE_HEADER, c.name(), WAIT_HEADER, Long.toString(e.waitSeconds(now())),
                CALL_ID_HEADER, e.callId)));
        boolean[] timedOut = new boolean[1];
        AcdClock.Timer timer = clock.schedule(ring, () -> {
            timedOut[0] = true;
            leg.cancel(true);
        });
        lock.lock();
        try {
            e.legs.add(leg);
        } finally {
            lock.unlock();
        }
        leg.whenComplete((s, err) -> {
            timer.cancel();
            legDone(e, a, leg, s, err, timedOut[0]);
        });
    }

    private void legDone(Entry e, Agent a, CompletableFuture<CallSession> leg, CallSession s, Throwable err, boolean timedOut) {
        List<Object> out = new ArrayList<>();
        boolean take = false;
        List<CompletableFuture<CallSession>> others = List.of();
        List<Agent> freed = new ArrayList<>();
        lock.lock();
        try {
            e.legs.remove(leg);
            boolean wasRinging = e.ringing.remove(a);
            if (a.offer == e) {
                a.offer = null;
            }
            if (err != null) {
                reservations.release(a.agentId, e.callId);
                boolean missed = timedOut || !(err instanceof CancellationException || err.getCause() instanceof CancellationException);
                if (missed && wasRinging && !timedOut && ++e.failedOffers >= FAILURES_BEFORE_BACKOFF && e.notBefore == null) {
                    // offers that fail at once, one after the other (no media node left, a route gone): wait before
                    // the next, 1 s doubling to 30 s, instead of spinning through every agent
                    long backoff = Math.min(30, 1L << Math.min(5, e.failedOffers - FAILURES_BEFORE_BACKOFF));
                    e.notBefore = now().plusSeconds(backoff);
                    clock.schedule(Duration.ofSeconds(backoff), () -> {
                        e.notBefore = null;
                        dispatch();
                    });
                }
                if (missed && wasRinging) {
                    e.tried.add(a.agentId);
                    a.missedInRow++;
                    event(out, QueueEvent.Type.MISSED, e, a, timedOut ? "no answer in " + e.queue.config.ringTimeoutSeconds()
                            + " s" : String.valueOf(err.getMessage()));
                    int limit = e.queue.config.autoPauseAfterMissed();
                    if (limit > 0 && a.missedInRow >= limit && a.status != Agents.Status.UNAVAILABLE) {
                        a.status = Agents.Status.PAUSED;
                        a.reason = "auto-paused after " + a.missedInRow + " missed offers";
                        a.changedAt = now();
                        freed.add(a);
                        touched(a, out, true);
                    }
                }
                if (e.direct == a && missed) {
                    e.direct = null;
                    e.queue.directs.remove(e);
                }
                touched(a, out, false);
            } else if (e.served || stopping || (e.kind == Queues.Kind.CALL && !e.queue.waiting.contains(e))) {
                reservations.release(a.agentId, e.callId); // answered too late: the caller left or another agent took it
                touched(a, out, false);
            } else {
                take = true;
                e.served = true;
                others = new ArrayList<>(e.legs);
                releaseOffers(e, out);
                if (e.kind == Queues.Kind.CALL) {
                    unqueue(e, out);
                    entries.put(e.id, e);
                }
                e.agent = a;
                e.agentLeg = s;
                e.failedOffers = 0;
                e.answeredAt = now();
                a.talking = e;
                a.missedInRow = 0;
                a.answeredOne(now().atZone(ZoneOffset.UTC).toLocalDate());
                reservations.release(a.agentId, e.callId);
                touched(a, out, false);
                if (e.kind == Queues.Kind.CALL) {
                    event(out, QueueEvent.Type.ANSWERED, e, a, "");
                    waitingChanged(e.queue, out);
                }
            }
        } finally {
            release(out);
        }
        for (Agent p : freed) {
            port.saveStatus(p.agentId, p.status, p.reason);
        }
        if (err == null && !take) {
            s.hangup("call already taken");
        }
        others.forEach(f -> f.cancel(true));
        drain();
        if (take) {
            if (e.kind == Queues.Kind.CALL) {
                bridge(e, a, s);
            } else {
                callBack(e, a, s);
            }
        }
        dispatch();
    }

    /** The agent answered a waiting caller: both hear each other; either hanging up ends both. */
    private void bridge(Entry e, Agent a, CallSession agentLeg) {
        CallSession caller = e.session;
        caller.stopPlayback();
        caller.bridge(agentLeg);
        agentLeg.addListener(new CallSession.Listener() {
            @Override
            public void ended(CallSession s, String reason) {
                if (e.agentLeg == s && !e.transferring) {
                    caller.hangup("agent hung up");
                }
                finished(e, a, "agent hung up");
            }
        });
        caller.addListener(new CallSession.Listener() {
            @Override
            public void ended(CallSession s, String reason) {
                CallSession leg = e.agentLeg;
                if (leg != null) {
                    leg.hangup("caller hung up");
                }
            }
        });
        if (!caller.active()) {
            agentLeg.hangup("caller hung up");
        }
    }

    /** A callback: the agent answered; now the customer is called and bridged to it. */
    private void callBack(Entry e, Agent a, CallSession agentLeg) {
        Queues.Queue c = e.queue.config;
        CompletableFuture<CallSession> customer = port.originate(new CallControl.Originate(e.callbackNumber, c.number(),
                e.tenantId, Duration.ofSeconds(Math.max(30, c.ringTimeoutSeconds())), e.callId, Map.of(QUEUE_HEADER, c.name())));
        agentLeg.addListener(new CallSession.Listener() {
            @Override
            public void ended(CallSession s, String reason) {
                customer.cancel(true);
                finished(e, a, "agent hung up");
            }
        });
        customer.whenComplete((s, err) -> {
            List<Object> out = new ArrayList<>();
            if (err == null) {
                lock.lock();
                try {
                    e.session = s;
                    e.queue.waiting.remove(e);
                    waitingChanged(e.queue, out);
                    event(out, QueueEvent.Type.CALLBACK_COMPLETED, e, a, e.callbackNumber);
                    event(out, QueueEvent.Type.ANSWERED, e, a, "callback");
                } finally {
                    release(out);
                }
                port.deleteCallback(e.id);
                drain();
                agentLeg.bridge(s);
                crossHangup(s, agentLeg);
                if (!agentLeg.active()) {
                    s.hangup("agent hung up");
                }
                return;
            }
            QueueStore.CallbackRow row = null;
            lock.lock();
            try {
                e.attempts++;
                e.agentLeg = null;
                e.agent = null;
                a.talking = null;
                if (e.attempts < Math.max(1, c.callbackRetries()) && queues.containsKey(e.queue.id()) && !stopping) {
                    e.served = false;
                    e.notBefore = now().plusSeconds(60);
                    e.tried.clear();
                    e.queue.waiting.add(e);
                    row = callbackRow(e);
                    event(out, QueueEvent.Type.CALLBACK_FAILED, e, a, "attempt " + e.attempts + " not answered; retry in 60 s");
                    clock.schedule(Duration.ofSeconds(61), this::dispatch);
                } else {
                    entries.remove(e.id);
                    e.queue.waiting.remove(e);
                    event(out, QueueEvent.Type.CALLBACK_FAILED, e, a, "not answered after " + e.attempts + " attempts");
                }
                waitingChanged(e.queue, out);
                touched(a, out, false);
            } finally {
                release(out);
            }
            if (row != null) {
                port.saveCallback(row);
            } else {
                port.deleteCallback(e.id);
            }
            agentLeg.hangup("callback not answered");
            drain();
            dispatch();
        });
    }

    /** A queue call ended for the agent: wrap-up for the queue's seconds, then back to its chosen status. */
    private void finished(Entry e, Agent a, String reason) {
        List<Object> out = new ArrayList<>();
        lock.lock();
        try {
            if (a.talking != e) {
                return;
            }
            a.talking = null;
            a.lastCallEnded = now();
            long talk = e.answeredAt == null ? 0 : Math.max(0, now().getEpochSecond() - e.answeredAt.getEpochSecond());
            e.queue.avgTalkSeconds = e.queue.avgTalkSeconds * 0.8 + talk * 0.2;
            entries.remove(e.id);
            int wrapUp = e.queue.config.wrapUpSeconds();
            if (wrapUp > 0) {
                a.wrapUpUntil = now().plusSeconds(wrapUp);
                a.wrapUpQueueId = e.queue.id();
                if (a.wrapUpTimer != null) {
                    a.wrapUpTimer.cancel();
                }
                a.wrapUpTimer = clock.schedule(Duration.ofSeconds(wrapUp), () -> wrapUpOver(a));
            }
            event(out, QueueEvent.Type.ENDED, e, a, reason);
            if (e.kind == Queues.Kind.CALL) {
                out.add(new CallOutcome(e.callId, CallEnded.Disposition.ANSWERED, "answered by agent " + a.number + " in queue "
                        + e.queue.config.name() + " after " + Math.max(0, e.answeredAt.getEpochSecond()
                        - e.enteredAt.getEpochSecond()) + " s", now()));
            }
            touched(a, out, false);
        } finally {
            release(out);
        }
        drain();
        dispatch();
    }

    private void wrapUpOver(Agent a) {
        List<Object> out = new ArrayList<>();
        lock.lock();
        try {
            if (a.wrapUpUntil != null && !a.wrapUpUntil.isAfter(now())) {
                a.wrapUpUntil = null;
                a.wrapUpQueueId = null;
                touched(a, out, false);
            }
        } finally {
            release(out);
        }
        drain();
        dispatch();
    }

    /** A waiting caller connected to a number (kick with a destination, overflow): the server stays in the path. */
    private void connect(Entry e, String number, String reason) {
        CompletableFuture<CallSession> leg = port.originate(new CallControl.Originate(number, e.caller, e.tenantId,
                Duration.ofSeconds(60), e.callId, Map.of(QUEUE_HEADER, e.queue.config.name(), CALL_ID_HEADER, e.callId)));
        leg.whenComplete((s, err) -> {
            lock.lock();
            try {
                entries.remove(e.id);
            } finally {
                lock.unlock();
            }
            if (err != null) {
                emit(new CallOutcome(e.callId, CallEnded.Disposition.NO_ANSWER, "left queue "
                        + e.queue.config.name() + " (" + reason + "); " + number + " did not answer", now()));
                e.session.hangup(number + " did not answer");
                return;
            }
            emit(new CallOutcome(e.callId, CallEnded.Disposition.ANSWERED, "left queue " + e.queue.config.name()
                    + " (" + reason + ") for " + number, now()));
            e.session.stopPlayback();
            e.session.bridge(s);
            crossHangup(e.session, s);
            if (!e.session.active()) {
                s.hangup("caller hung up");
            }
        });
    }

    private static void crossHangup(CallSession x, CallSession y) {
        x.addListener(new CallSession.Listener() {
            @Override
            public void ended(CallSession s, String reason) {
                y.hangup("other party hung up");
            }
        });
        y.addListener(new CallSession.Listener() {
            @Override
            public void ended(CallSession s, String reason) {
                x.hangup("other party hung up");
            }
        });
    }

    // ================================================================== helpers (under the lock)

    /** Removes a waiting entry from its queue and its offers; returns the legs to cancel (after the lock). */
    private List<CompletableFuture<CallSession>> unqueue(Entry e, List<Object> out) {
        List<CompletableFuture<CallSession>> cancel = new ArrayList<>(e.legs);
        releaseOffers(e, out);
        e.queue.waiting.remove(e);
        e.queue.directs.remove(e);
        entries.remove(e.id);
        if (e.maxWaitTimer != null) {
            e.maxWaitTimer.cancel();
        }
        waitingChanged(e.queue, out);
        return cancel;
    }

    private void releaseOffers(Entry e, List<Object> out) {
        for (Agent a : e.ringing) {
            if (a.offer == e) {
                a.offer = null;
            }
            reservations.release(a.agentId, e.callId);
            touched(a, out, false);
        }
        e.ringing.clear();
        e.legs.clear();
    }

    private void event(List<Object> out, QueueEvent.Type type, Entry e, Agent a, String detail) {
        event(out, type, e, a, detail, e.queue.position(e));
    }

    private void event(List<Object> out, QueueEvent.Type type, Entry e, Agent a, String detail, int position) {
        out.add(new QueueEvent(type, e.callId, e.id, e.tenantId, e.queue.id(),
                e.kind == Queues.Kind.CALLBACK ? e.callbackNumber : e.caller, a == null ? null : a.agentId,
                a == null ? null : a.accountId, position, e.waitSeconds(now()), detail, now()));
    }

    /** Coalesced per publish: one {@code queue.waitingChanged} per queue touched. */
    private void waitingChanged(QueueRuntime q, List<Object> out) {
        out.removeIf(o -> o instanceof PushNotification p && "queue.waitingChanged".equals(p.method())
                && p.params() instanceof Queues.WaitingChanged w && w.queueId() == q.id());
        out.add(new PushNotification("queue.waitingChanged", new Queues.WaitingChanged(q.id(), q.config.tenantId(), views(q)),
                q.config.tenantId()));
    }

    private static Queues.Waiting find(List<Queues.Waiting> list, String id) {
        return list.stream().filter(w -> w.id().equals(id)).findFirst().orElse(null);
    }

    /**
     * Events wait here in the order their changes were made under the lock, and are published in that
     * order by one thread at a time (never under the lock): a listener such as the queue log sees an
     * agent's call end before its next offer.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<Object> outbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ReentrantLock publishing = new ReentrantLock();

    /** Queues the events of a locked section, in order, and releases the lock. */
    private void release(List<Object> out) {
        outbox.addAll(out);
        out.clear();
        lock.unlock();
    }

    private void emit(Object event) {
        outbox.add(event);
        drain();
    }

    /** Publishes what is queued; whoever holds {@link #publishing} publishes for everyone meanwhile. */
    private void drain() {
        while (!outbox.isEmpty() && publishing.tryLock()) {
            try {
                Object o;
                while ((o = outbox.poll()) != null) {
                    try {
                        port.publish(o);
                    } catch (RuntimeException ex) {
                        log.warn("ACD event {} not delivered: {}", o.getClass().getSimpleName(), ex.toString());
                    }
                }
            } finally {
                publishing.unlock();
            }
        }
    }

    // ================================================================== shutdown

    /** The server stops: callers still waiting are hung up, and their records say so; callbacks stay stored. */
    void stop() {
        List<Object> out = new ArrayList<>();
        List<Entry> waiting = new ArrayList<>();
        List<CompletableFuture<CallSession>> legs = new ArrayList<>();
        lock.lock();
        try {
            stopping = true;
            for (QueueRuntime q : queues.values()) {
                for (Entry e : q.waiting) {
                    if (e.kind == Queues.Kind.CALL) {
                        waiting.add(e);
                        e.served = true; // its hang-up below is the shutdown's, not an abandon
                        legs.addAll(e.legs); // a copy: a cancelled leg removes itself from e.legs
                        event(out, QueueEvent.Type.SHUTDOWN, e, null, "server stopping");
                        out.add(new CallOutcome(e.callId, CallEnded.Disposition.FAILED, "server stopped while waiting in queue "
                                + q.config.name() + " for " + e.waitSeconds(now()) + " s", now()));
                    }
                }
            }
        } finally {
            release(out);
        }
        drain();
        Set<CallSession> sessions = new LinkedHashSet<>();
        legs.forEach(f -> f.cancel(true));
        for (Entry e : waiting) {
            if (e.session != null) {
                sessions.add(e.session);
            }
        }
        sessions.forEach(s -> s.hangup("server shutting down"));
    }

    /** Every queue of a tenant (null: all) as it is now. */
    List<org.callibry.server.acd.QueueLive.Snapshot> snapshot(Long tenantId) {
        lock.lock();
        try {
            Instant now = now();
            List<org.callibry.server.acd.QueueLive.Snapshot> out = new ArrayList<>();
            for (QueueRuntime q : queues.values()) {
                if (tenantId != null && q.config.tenantId() != tenantId) {
                    continue;
                }
                Map<String, Integer> byState = new java.util.TreeMap<>();
                for (QueueRuntime.Member m : q.members) {
                    byState.merge(m.agent().state(now).name(), 1, Integer::sum);
                }
                long longest = 0;
                for (Entry e : q.waiting) {
                    longest = Math.max(longest, e.waitSeconds(now));
                }
                out.add(new org.callibry.server.acd.QueueLive.Snapshot(q.id(), q.config.tenantId(), q.config.name(),
                        q.waiting.size(), longest, byState, q.config.serviceLevelSeconds(),
                        q.config.shortAbandonSeconds()));
            }
            out.sort(java.util.Comparator.comparingLong(org.callibry.server.acd.QueueLive.Snapshot::queueId));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** For tests and benchmarks: the member agents of every queue, by agent id. */
    Map<Long, Agent> agentsForTest() {
        return new HashMap<>(agents);
    }

    /** For benchmarks: the queues as the decision gets them, unguarded (only while nothing else touches the ACD). */
    List<QueueRuntime> queuesForTest() {
        return feedingOrder;
    }

    Set<Long> queueIds() {
        lock.lock();
        try {
            return new HashSet<>(queues.keySet());
        } finally {
            lock.unlock();
        }
    }
}
