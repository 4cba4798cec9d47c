package org.callibry.softphone.phone;

import static org.callibry.softphone.sip.CallState.ACTIVE;
import static org.callibry.softphone.sip.CallState.ENDED;
import static org.callibry.softphone.sip.CallState.HELD;
import static org.callibry.softphone.sip.CallState.RINGING;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.callibry.softphone.audio.AudioSink;
import org.callibry.softphone.audio.AudioSource;
import org.callibry.softphone.audio.RtpSession;
import org.callibry.softphone.history.CallHistory;
import org.callibry.softphone.settings.Settings;
import org.callibry.softphone.sip.Call;
import org.callibry.softphone.sip.CallMedia;
import org.callibry.softphone.sip.UserAgent;

/**
 * The phone the window drives: one SIP {@link UserAgent} per account (a line; all registered at the
 * same time, calls come in on any of them, outgoing calls and messages use the one chosen) and one
 * {@link RtpSession} per call for audio, started when the call's media is negotiated and following
 * its direction (hold), stopped when the call ends. Calls are written to the history. The lines are
 * {@link Lines}, the audio {@link CallAudio}, the ringtone and ringback {@link Tones}; this class
 * holds the call the controls act on.
 */
public final class SipPhone implements Phone {

    /** Where a call's audio comes from and goes to: the sound devices in the app, WAV files in tests. */
    public interface Audio {
        AudioSource microphone();

        AudioSink speaker();

        /** Where the ringtone plays (the ring device); the speaker unless chosen otherwise. */
        default AudioSink ringer() {
            return speaker();
        }

        /** Where the local ringback of an outgoing call plays. */
        default AudioSink ringback() {
            return speaker();
        }
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Call, Instant> answeredAt = new ConcurrentHashMap<>();
    private final CallHistory history;
    private final Lines lines;
    private final CallAudio callAudio;
    private final Tones tones;
    /** Registration and shutdown run here, one after another, never on the caller's (the window's) thread. */
    private final ExecutorService control = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("phone-control").unstarted(r));
    /** The incoming calls that ring (a waiting one during another call included), the longest ringing first. */
    private final Map<String, Call> ringing = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile boolean autoAnswer;
    private volatile boolean dtmfByInfo;
    private volatile Call current;

    public SipPhone(Audio audio, CallHistory history) {
        this.history = history;
        this.lines = new Lines(listeners, new Lines.CallEvents() {
            @Override
            public void incomingCall(Call call) {
                SipPhone.this.incomingCall(call);
            }

            @Override
            public void callStateChanged(Call call, org.callibry.softphone.sip.CallState state) {
                SipPhone.this.callStateChanged(call, state);
            }

            @Override
            public void mediaChanged(Call call, CallMedia media) {
                SipPhone.this.mediaChanged(call, media);
            }
        });
        this.callAudio = new CallAudio(audio, listeners);
        this.tones = new Tones(audio, lines::calls);
    }

    /**
     * How long an answered call may go without a packet from the other side: 60 s unless set, like the
     * server's relay (not shorter: a phone with silence suppression and no RTCP sends nothing while
     * its user only listens).
     */
    public void setMediaTimeout(Duration timeout) {
        callAudio.setMediaTimeout(timeout);
    }

    @Override
    public void addListener(Listener l) {
        listeners.add(l);
    }

    @Override
    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /**
     * Registers every account of {@code s} (the lines registered before are closed first). Returns at
     * once: the work runs on the phone's own thread and the outcome arrives as registration events.
     */
    @Override
    public void register(Settings s) {
        control.execute(() -> {
            dtmfByInfo = s.dtmfInfo();
            autoAnswer = s.autoAnswer();
            lines.replace(s);
        });
    }

    @Override
    public List<Phone.AccountStatus> status() {
        return lines.status();
    }

    @Override
    public void useAccount(String account) {
        lines.use(account);
    }

    @Override
    public String outgoingAccount() {
        Lines.Line l = lines.outgoing();
        return l == null ? "" : l.label;
    }

    @Override
    public void dial(String number) {
        Lines.Line line = lines.outgoing();
        Call now = current;
        if (line != null && (now == null || now.state() == ENDED)) {
            current = lines.callFrom(line, number);
        }
    }

    /** The call the controls act on once the current one is gone: any other not ended, or none. */
    private Call nextCall() {
        return lines.calls().stream().filter(c -> c.state() != ENDED).findFirst().orElse(null);
    }

    /** The call {@code id}, if it rings; with no id, the one ringing longest. */
    private Call ringing(String id) {
        synchronized (ringing) {
            return id == null ? ringing.values().stream().findFirst().orElse(null) : ringing.get(id);
        }
    }

    /** Answers the call that rings longest; a call in progress is put on hold first (call waiting). */
    @Override
    public void answer() {
        answer(ringing(null));
    }

    @Override
    public void answer(String callId) {
        answer(ringing(callId));
    }

    @Override
    public void reject(String callId) {
        Call r = ringing(callId);
        if (r != null) {
            r.reject();
        }
    }

    private void answer(Call r) {
        if (r == null || r.state() != RINGING) {
            return;
        }
        Call c = current;
        if (c != null && c != r && c.state() == ACTIVE) {
            c.hold();
        }
        current = r;
        r.answer();
        if (r.state() == ENDED) { // the caller gave up meanwhile
            current = nextCall();
        }
    }

    @Override
    public void reject() {
        reject(null);
    }

    @Override
    public Optional<String> refusedCertificate() {
        return lines.refusedCertificate();
    }

    @Override
    public void hangup() {
        Call c = current;
        if (c != null) {
            c.hangUp();
        }
    }

    @Override
    public void hold(boolean on) {
        Call c = current;
        if (c != null) {
            if (on) {
                c.hold();
            } else {
                c.resume();
            }
        }
    }

    @Override
    public void mute(boolean on) {
        Call c = current;
        if (c != null) {
            callAudio.mute(c, on);
        }
    }

    @Override
    public void transfer(String target) {
        Call c = current;
        if (c != null) {
            c.transfer(target);
        }
    }

    @Override
    public void consult(String target) {
        Call c = current;
        Lines.Line line = c == null ? null : lines.lineOf(c);
        if (c == null || line == null || !c.state().established()) {
            return;
        }
        if (c.state() == ACTIVE) {
            c.hold();
        }
        current = lines.callFrom(line, target); // from the same line, so the target can be connected to it
    }

    @Override
    public void completeTransfer() {
        Call consultation = current;
        if (consultation == null || !consultation.state().established()) {
            return;
        }
        lines.lineOf(consultation).agent.calls().stream().filter(c -> c != consultation && c.state() == HELD)
                .findFirst().ifPresent(held -> held.transfer(consultation));
    }

    @Override
    public void sendDigit(char digit) {
        Call c = current;
        if (c == null) {
            return;
        }
        if (dtmfByInfo || !callAudio.sendDigit(c, digit)) { // RFC 4733 in the RTP stream when it can carry it
            c.sendDtmf(digit); // SIP INFO
        }
    }

    @Override
    public CompletableFuture<Void> sendMessage(String to, String text) {
        Lines.Line line = lines.outgoing();
        if (line == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no account"));
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        line.agent.sendMessage(to, text).whenComplete((ok, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause == null) {
                result.complete(null);
            } else if (cause instanceof UserAgent.StoppedException) {
                result.completeExceptionally(new Phone.UnconfirmedException(cause.getMessage()));
            } else {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    /** Hangs up, unregisters every line (waiting for that) and stops. */
    @Override
    public void close() {
        Future<?> done = control.submit(this::shutDown);
        control.shutdown();
        try {
            done.get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing as far as it went
        }
    }

    private void shutDown() {
        callAudio.close();
        tones.stop();
        lines.close();
    }

    // ---------------------------------------------------------------- user agent events (from every line)

    private void incomingCall(Call call) {
        boolean idle = current == null || current.state() == ENDED;
        if (idle) {
            current = call;
        }
        if (call.state() == RINGING) {
            ringing.put(call.id(), call);
        }
        notify(call, call.state());
        if (idle && autoAnswer && call.state() == RINGING) {
            answer(call); // headset operators: the call is taken at once (a second call during one still rings)
        }
        if (call.state().established()) {
            callAudio.media(call, call.media());
        }
    }

    private void callStateChanged(Call call, org.callibry.softphone.sip.CallState state) {
        if (state != RINGING) {
            ringing.remove(call.id());
        }
        if (state == ACTIVE) {
            answeredAt.putIfAbsent(call, Instant.now());
        }
        if (state.established()) {
            callAudio.media(call, call.media());
        }
        if (state == ENDED) {
            callAudio.stop(call);
            record(call);
            if (current == call) {
                current = nextCall();
            }
            notify(call, state);
            lines.forget(call); // after the event, which names the call's line
            return;
        }
        notify(call, state);
    }

    private void mediaChanged(Call call, CallMedia media) {
        if (call.state().established()) {
            callAudio.media(call, media);
        }
    }

    private void notify(Call call, org.callibry.softphone.sip.CallState state) {
        try {
            tones.update();
        } catch (RuntimeException e) {
            // a missing sound device must not stop the call
        }
        Phone.Ending ending = call.end().map(e -> new Phone.Ending(e.reason().name(), e.status(), e.text())).orElse(null);
        String reason = ending == null ? null : ending.detail() == null || ending.detail().isBlank() ? ending.kind() : ending.detail();
        Lines.Line line = lines.lineOf(call);
        CallInfo info = new CallInfo(call.id(), call.remoteUser(), call.remoteDisplayName(), call.direction() == Call.Direction.INCOMING,
                Phone.CallState.valueOf(state.name()), reason, line == null ? "" : line.label, ending, call.queue(),
                call.serverCallId(), call.queueWait());
        listeners.forEach(l -> l.call(info));
    }

    private void record(Call call) {
        Instant answered = answeredAt.remove(call);
        CallHistory.Kind kind = call.direction() == Call.Direction.OUTGOING ? CallHistory.Kind.DIALLED
                : answered == null ? CallHistory.Kind.MISSED : CallHistory.Kind.RECEIVED;
        try {
            history.add(new CallHistory.Entry(Instant.now(), kind, call.remoteUser(), call.remoteDisplayName(),
                    answered == null ? Duration.ZERO : Duration.between(answered, Instant.now())));
        } catch (IOException ignored) {
            // history is a convenience: a full disk must not break the call
        }
    }
}
