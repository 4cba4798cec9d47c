package org.callibry.server.calls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link CallSession} that passes every call on to another: the base for a view of a session that
 * changes a little of what an application sees, e.g. the dialer handing an answered outbound leg to the
 * queue application under the queue's name, with the number's variables. The media server looks
 * through it ({@link #unwrap}) when it bridges or mixes two legs.
 */
public abstract class ForwardingCallSession implements CallSession {
    private final CallSession delegate;

    protected ForwardingCallSession(CallSession delegate) {
        this.delegate = delegate;
    }

    public CallSession delegate() {
        return delegate;
    }

    /** The session under any number of forwarding views. */
    public static CallSession unwrap(CallSession session) {
        CallSession s = session;
        while (s instanceof ForwardingCallSession f) {
            s = f.delegate;
        }
        return s;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public String callId() {
        return delegate.callId();
    }

    @Override
    public String caller() {
        return delegate.caller();
    }

    @Override
    public String called() {
        return delegate.called();
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public Long tenantId() {
        return delegate.tenantId();
    }

    @Override
    public Map<String, String> variables() {
        return delegate.variables();
    }

    @Override
    public void answer() {
        delegate.answer();
    }

    @Override
    public void reject(int code, String reason) {
        delegate.reject(code, reason);
    }

    @Override
    public void play(List<short[]> prompts, boolean loop, boolean interruptible) {
        delegate.play(prompts, loop, interruptible);
    }

    @Override
    public void stopPlayback() {
        delegate.stopPlayback();
    }

    @Override
    public void echo(boolean on) {
        delegate.echo(on);
    }

    @Override
    public CompletableFuture<String> collectDigits(int maxDigits, Duration firstDigitTimeout, Duration interDigitTimeout,
                                                   String terminators) {
        return delegate.collectDigits(maxDigits, firstDigitTimeout, interDigitTimeout, terminators);
    }

    @Override
    public CompletableFuture<Path> record(Path wav, Duration max, String stopDigits) {
        return delegate.record(wav, max, stopDigits);
    }

    @Override
    public void bridge(CallSession other) {
        delegate.bridge(other);
    }

    @Override
    public void unbridge() {
        delegate.unbridge();
    }

    @Override
    public void hear(CallSession other, boolean on) {
        delegate.hear(other, on);
    }

    @Override
    public void transfer(String targetUri) {
        delegate.transfer(targetUri);
    }

    @Override
    public void hangup(String reason) {
        delegate.hangup(reason);
    }

    @Override
    public boolean active() {
        return delegate.active();
    }

    @Override
    public void addListener(Listener listener) {
        delegate.addListener(listener);
    }
}
