package org.callibry.server.cdr.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.callibry.server.calls.CallOutcome;

/**
 * Joins a media application's word on a call ({@link CallOutcome}: answered by an agent, abandoned,
 * called back) with the record of the caller's leg to the media server, which the proxy ends without
 * knowing it. Either may come first: a leg's record waits here at most {@link #HOLD} for its outcome
 * (then goes as it is), an outcome waits {@link #KEEP} for its record. Other records pass straight on.
 * The two arrive on different threads at nearly the same moment (the agent's hang-up ends the caller's
 * leg), so the look-up in one map and the put in the other happen under one lock.
 */
final class CdrOutcomes implements AutoCloseable {
    static final Duration HOLD = Duration.ofSeconds(5);
    static final Duration KEEP = Duration.ofMinutes(2);

    private record Held(CdrRecord record, ScheduledFuture<?> timer) {
    }

    private record Known(CallOutcome outcome, long nanos) {
    }

    private final Consumer<CdrRecord> next;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Known> outcomes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("cdr-outcomes").daemon().factory());

    CdrOutcomes(Consumer<CdrRecord> next) {
        this.next = next;
    }

    /** A record from the proxy: held when it is a leg to a media application, merged when its outcome is known. */
    synchronized void record(CdrRecord r) {
        if (r.destination() == null || !r.destination().contains(";svc=")) {
            next.accept(r);
            return;
        }
        Known k = outcomes.remove(r.callId());
        if (k != null) {
            next.accept(merge(r, k.outcome()));
            return;
        }
        ScheduledFuture<?> timer = timers.schedule(() -> release(r.callId()), HOLD.toMillis(), TimeUnit.MILLISECONDS);
        Held previous = held.put(r.callId(), new Held(r, timer));
        if (previous != null) {
            previous.timer().cancel(false);
            next.accept(previous.record());
        }
    }

    synchronized void outcome(CallOutcome o) {
        Held h = held.remove(o.callId());
        if (h != null) {
            h.timer().cancel(false);
            next.accept(merge(h.record(), o));
            return;
        }
        long now = System.nanoTime();
        outcomes.values().removeIf(k -> now - k.nanos() > KEEP.toNanos());
        outcomes.putIfAbsent(o.callId(), new Known(o, now)); // the application's first word on the call is its outcome
    }

    private synchronized void release(String callId) {
        Held h = held.remove(callId);
        if (h != null) {
            next.accept(h.record());
        }
    }

    private static CdrRecord merge(CdrRecord r, CallOutcome o) {
        return new CdrRecord(r.id(), r.callId(), r.aNumber(), r.bNumber(), r.aNumberRouted(), r.bNumberRouted(), r.source(),
                r.destination(), r.routeName(), r.tenantId(), r.startedAt(), r.answeredAt(), r.endedAt(), r.durationMs(),
                o.disposition(), r.sipCode(), o.reason() == null ? r.reason() : o.reason());
    }

    /** Everything held goes on now (shutdown). */
    @Override
    public void close() {
        for (String callId : held.keySet()) {
            release(callId);
        }
        timers.shutdownNow();
    }
}
