package org.callibry.server.acd.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callibry.server.calls.CallSession;

/** A call leg without SIP: records what the ACD does with it; the test ends it or presses digits. */
final class FakeSession implements CallSession {
    final String callId;
    final String caller;
    final String called;
    final List<Listener> listeners = new CopyOnWriteArrayList<>();
    volatile boolean answered;
    volatile boolean ended;
    volatile String endReason;
    volatile CallSession bridged;
    volatile int plays;

    FakeSession(String callId, String caller, String called) {
        this.callId = callId;
        this.caller = caller;
        this.called = called;
    }

    @Override public String id() { return callId + "/" + called; }
    @Override public String callId() { return callId; }
    @Override public String caller() { return caller; }
    @Override public String called() { return called; }
    @Override public String serviceName() { return ""; }
    @Override public Long tenantId() { return 1L; }
    @Override public void answer() { answered = true; }
    @Override public void reject(int code, String reason) { end(code + " " + reason); }
    @Override public void play(List<short[]> prompts, boolean loop, boolean interruptible) { plays++; }
    @Override public void stopPlayback() { }
    @Override public void echo(boolean on) { }

    @Override
    public CompletableFuture<String> collectDigits(int maxDigits, Duration first, Duration inter, String terminators) {
        return CompletableFuture.completedFuture("");
    }

    @Override public CompletableFuture<Path> record(Path wav, Duration max, String stopDigits) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override public void bridge(CallSession other) {
        bridged = other;
        if (other instanceof FakeSession f) {
            f.bridged = this;
        }
    }

    @Override public void unbridge() { bridged = null; }
    final java.util.Set<CallSession> hears = java.util.concurrent.ConcurrentHashMap.newKeySet();
    @Override public void hear(CallSession other, boolean on) {
        if (on) {
            hears.add(other);
        } else {
            hears.remove(other);
        }
    }
    @Override public void transfer(String targetUri) { }
    @Override public void hangup(String reason) { end(reason); }
    @Override public boolean active() { return !ended; }
    @Override public void addListener(Listener listener) { listeners.add(listener); }

    void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        endReason = reason;
        listeners.forEach(l -> l.ended(this, reason));
    }
}
