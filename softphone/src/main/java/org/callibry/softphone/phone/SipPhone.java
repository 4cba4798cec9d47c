package org.callibry.softphone.phone;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callibry.softphone.audio.AudioSink;
import org.callibry.softphone.audio.AudioSource;
import org.callibry.softphone.audio.RtpSession;
import org.callibry.softphone.history.CallHistory;
import org.callibry.softphone.settings.Settings;
import org.callibry.softphone.sip.Call;
import org.callibry.softphone.sip.CallMedia;
import org.callibry.softphone.sip.InstantMessage;
import org.callibry.softphone.sip.SoftphoneAccount;
import org.callibry.softphone.sip.Transport;
import org.callibry.softphone.sip.UserAgent;
import org.callibry.softphone.sip.UserAgentListener;

/**
 * The phone the window drives: one SIP {@link UserAgent} per account (a line; all registered at the
 * same time, calls come in on any of them, outgoing calls and messages use the one chosen) and one
 * {@link RtpSession} per call for audio, started when the call's media is negotiated and following
 * its direction (hold), stopped when the call ends. Calls are written to the history.
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
    /** A call's RTP session with the source and sink it uses (closed with it: the session leaves them open). */
    private record Media(RtpSession session, AudioSource source, AudioSink sink) {
    }

    private final Map<Call, Media> sessions = new ConcurrentHashMap<>();
    private final Map<Call, Instant> answeredAt = new ConcurrentHashMap<>();
    private final Audio audio;
    private final CallHistory history;
    /** One registered account: its user agent and where its registration is. */
    private final class Line implements UserAgentListener {
        final String label;
        final Settings.Account account;
        final String stunServer;
        final UserAgent agent;
        volatile Phone.AccountStatus status;

        Line(Settings.Account account, Settings s) {
            this.label = account.label();
            this.account = account;
            this.stunServer = s.stunServer();
            this.status = new Phone.AccountStatus(label, Phone.Registration.UNREGISTERED, null);
            org.callibry.softphone.settings.ServerAddress server = org.callibry.softphone.settings.ServerAddress.parse(account.server());
            Transport transport = Transport.valueOf(account.transport().toUpperCase(Locale.ROOT));
            SoftphoneAccount sip = new SoftphoneAccount(server.host(), server.port(), transport, account.user(), account.password(), null,
                    account.displayName(), null, s.stunServer().isBlank() ? null : s.stunServer(),
                    s.tlsFingerprint().isBlank() ? null : org.callibry.softphone.sip.TlsTrust.fingerprint(s.tlsFingerprint()));
            this.agent = new UserAgent(sip, this);
        }

        void start() {
            try {
                agent.start();
                agent.register();
            } catch (IOException | RuntimeException e) {
                registered(Phone.Registration.FAILED, e.getMessage());
            }
        }

        private void registered(Phone.Registration state, String reason) {
            status = new Phone.AccountStatus(label, state, reason);
            listeners.forEach(l -> l.registration(label, state, reason));
        }

        @Override
        public void registrationChanged(org.callibry.softphone.sip.Registration r) {
            registered(Phone.Registration.valueOf(r.state().name()), r.reason());
        }

        @Override
        public void incomingCall(Call call) {
            lineOf.put(call, this);
            SipPhone.this.incomingCall(call);
        }

        @Override
        public void callStateChanged(Call call, org.callibry.softphone.sip.CallState state) {
            lineOf.putIfAbsent(call, this);
            SipPhone.this.callStateChanged(call, state);
        }

        @Override
        public void mediaChanged(Call call, CallMedia media) {
            SipPhone.this.mediaChanged(call, media);
        }

        @Override
        public void messageReceived(InstantMessage m) {
            listeners.forEach(l -> l.message(m.peer(), m.displayName(), m.text()));
        }
    }

    private volatile List<Line> lines = List.of();
    /** The line of every call not yet ended (an ended call is no longer in its agent's list). */
    private final Map<Call, Line> lineOf = new ConcurrentHashMap<>();
    /** Registration and shutdown run here, one after another, never on the caller's (the window's) thread. */
    private final java.util.concurrent.ExecutorService control = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("phone-control").unstarted(r));
    private volatile boolean autoAnswer;
    /** How long an answered call may go without audio from the other side before it counts as dropped. */
    private volatile java.time.Duration mediaTimeout = java.time.Duration.ofSeconds(60);
    /** Calls that expect audio now (answered, not held by either side), since when they do. */
    private final Map<Call, Long> listeningSince = new ConcurrentHashMap<>();
    /** Calls the operator muted. */
    private final java.util.Set<Call> mutedCalls = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService watchdog = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("media-watchdog").unstarted(r));
    /** The line outgoing calls and messages use (the first one unless the operator chose another). */
    private volatile Line outgoing;
    /** The account the operator chose for outgoing calls, kept while the lines are replaced. */
    private volatile String chosen;
    private volatile Call current;
    private volatile boolean dtmfByInfo;
    /** The ringtone of an incoming call or the ringback of an outgoing one, while it plays. */
    private org.callibry.softphone.audio.AudioPlayer tone;
    private AudioSink toneSink;
    private String toneKind;

    public SipPhone(Audio audio, CallHistory history) {
        this.audio = audio;
        this.history = history;
        watchdog.scheduleWithFixedDelay(this::checkMedia, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * How long an answered call may go without a packet from the other side: 60 s unless set, like the
     * server's relay (not shorter: a phone with silence suppression and no RTCP sends nothing while
     * its user only listens).
     */
    public void setMediaTimeout(java.time.Duration timeout) {
        this.mediaTimeout = timeout;
    }

    /**
     * A call whose other side went silent on the network (no RTP or RTCP) for the media timeout while
     * it should be sending is ended with BYE, and the window says the connection was lost.
     */
    private void checkMedia() {
        try {
            dropSilentCalls();
        } catch (RuntimeException e) { // the schedule must go on
            System.getLogger(SipPhone.class.getName()).log(System.Logger.Level.WARNING, "media check failed", e);
        }
    }

    private void dropSilentCalls() {
        long now = System.nanoTime();
        long limit = mediaTimeout.toMillis();
        listeningSince.forEach((call, since) -> {
            Media m = sessions.get(call);
            if (m == null || call.state() != org.callibry.softphone.sip.CallState.ACTIVE) {
                return;
            }
            long silent = Math.min(m.session().idleMillis(), (now - since) / 1_000_000);
            if (silent >= limit && listeningSince.remove(call, since)) {
                call.drop("no audio from the other side for " + silent / 1000 + " s");
            }
        });
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
        control.execute(() -> replaceLines(s));
    }

    private void replaceLines(Settings s) {
        List<Line> old = lines;
        String chosen = this.chosen;
        dtmfByInfo = s.dtmfInfo();
        autoAnswer = s.autoAnswer();
        // a registered line whose account did not change stays as it is (its calls go on); the others are new
        List<Line> fresh = new java.util.ArrayList<>();
        List<Line> kept = new java.util.ArrayList<>();
        List<Line> started = new java.util.ArrayList<>();
        for (Settings.Account a : s.accounts()) {
            if (a.user().isBlank() || a.server().isBlank()) {
                continue;
            }
            Line same = old.stream().filter(l -> l.account.equals(a) && l.stunServer.equals(s.stunServer())
                    && l.status.state() == Phone.Registration.REGISTERED && !kept.contains(l)).findFirst().orElse(null);
            if (same != null) {
                kept.add(same);
                fresh.add(same);
                continue;
            }
            try {
                Line l = new Line(a, s);
                fresh.add(l);
                started.add(l);
            } catch (RuntimeException e) { // a bad server address or transport: this line only
                listeners.forEach(l -> l.registration(a.label(), Phone.Registration.FAILED, e.getMessage()));
            }
        }
        closeAll(old.stream().filter(l -> !kept.contains(l)).toList());
        lines = List.copyOf(fresh);
        // the line chosen for outgoing calls stays chosen when it is still there
        outgoing = fresh.stream().filter(l -> l.label.equals(chosen)).findFirst().orElse(fresh.isEmpty() ? null : fresh.getFirst());
        kept.forEach(l -> listeners.forEach(x -> x.registration(l.label, l.status.state(), l.status.reason())));
        started.forEach(Line::start);
    }

    /** Unregisters and stops these lines, all at once (each may wait a few seconds for its server). */
    private static void closeAll(List<Line> closing) {
        List<Thread> threads = closing.stream().map(l -> Thread.ofVirtual().start(l.agent::close)).toList();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public List<Phone.AccountStatus> status() {
        return lines.stream().map(l -> l.status).toList();
    }

    @Override
    public void useAccount(String account) {
        chosen = account; // also when the lines are being replaced: the new ones honour it
        lines.stream().filter(l -> l.label.equals(account)).findFirst().ifPresent(l -> outgoing = l);
    }

    @Override
    public String outgoingAccount() {
        Line l = outgoing;
        return l == null ? "" : l.label;
    }

    /** Every call on every line. */
    private List<Call> calls() {
        return lines.stream().flatMap(l -> l.agent.calls().stream()).toList();
    }

    /** The line {@code call} is on. */
    private Line lineOf(Call call) {
        return lineOf.getOrDefault(call, outgoing);
    }

    @Override
    public void dial(String number) {
        Line line = outgoing;
        Call now = current;
        if (line != null && (now == null || now.state() == org.callibry.softphone.sip.CallState.ENDED)) {
            current = callFrom(line, number);
        }
    }

    /** A new call to {@code target} on {@code line}, known as the line's from the start. */
    private Call callFrom(Line line, String target) {
        Call c = line.agent.call(target);
        lineOf.put(c, line);
        return c;
    }

    /** The call the controls act on once the current one is gone: any other not ended, or none. */
    private Call nextCall() {
        return calls().stream().filter(c -> c.state() != org.callibry.softphone.sip.CallState.ENDED).findFirst().orElse(null);
    }

    /**
     * Whether our microphone is kept from the other side: the operator muted the call, or we hold it
     * (sendonly or inactive: a consultation stays private).
     */
    private boolean silenced(Call call, org.callibry.softphone.sip.MediaDirection direction) {
        return mutedCalls.contains(call) || direction == org.callibry.softphone.sip.MediaDirection.SENDONLY
                || direction == org.callibry.softphone.sip.MediaDirection.INACTIVE;
    }

    /** The incoming calls that ring (a waiting one during another call included), the longest ringing first. */
    private final Map<String, Call> ringing = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

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
        if (r == null || r.state() != org.callibry.softphone.sip.CallState.RINGING) {
            return;
        }
        Call c = current;
        if (c != null && c != r && c.state() == org.callibry.softphone.sip.CallState.ACTIVE) {
            c.hold();
        }
        current = r;
        r.answer();
        if (r.state() == org.callibry.softphone.sip.CallState.ENDED) { // the caller gave up meanwhile
            current = nextCall();
        }
    }

    @Override
    public void reject() {
        reject(null);
    }

    @Override
    public java.util.Optional<String> refusedCertificate() {
        return lines.stream().map(l -> l.agent.refusedCertificate()).flatMap(java.util.Optional::stream).findFirst();
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
        if (c == null) {
            return;
        }
        if (on) {
            mutedCalls.add(c);
        } else {
            mutedCalls.remove(c);
        }
        Media m = sessions.get(c);
        if (m != null && c.media() != null) {
            m.session().setMuted(silenced(c, c.media().direction()));
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
        Line line = c == null ? null : lineOf(c);
        if (c == null || line == null || !c.state().established()) {
            return;
        }
        if (c.state() == org.callibry.softphone.sip.CallState.ACTIVE) {
            c.hold();
        }
        current = callFrom(line, target); // from the same line, so the target can be connected to it
    }

    @Override
    public void completeTransfer() {
        Call consultation = current;
        if (consultation == null || !consultation.state().established()) {
            return;
        }
        lineOf(consultation).agent.calls().stream().filter(c -> c != consultation && c.state() == org.callibry.softphone.sip.CallState.HELD)
                .findFirst().ifPresent(held -> held.transfer(consultation));
    }

    @Override
    public void sendDigit(char digit) {
        Call c = current;
        if (c == null) {
            return;
        }
        Media m = sessions.get(c);
        if (!dtmfByInfo && m != null && c.media().telephoneEventPayloadType() >= 0) {
            m.session().sendDigit(digit, 160); // RFC 4733 in the RTP stream
        } else {
            c.sendDtmf(digit); // SIP INFO
        }
    }

    @Override
    public CompletableFuture<Void> sendMessage(String to, String text) {
        Line line = outgoing;
        if (line == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no account"));
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        line.agent.sendMessage(to, text).whenComplete((ok, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause == null) {
                result.complete(null);
            } else if (cause instanceof org.callibry.softphone.sip.UserAgent.StoppedException) {
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
        java.util.concurrent.Future<?> done = control.submit(this::shutDown);
        control.shutdown();
        try {
            done.get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // closing as far as it went
        }
    }

    private void shutDown() {
        watchdog.shutdownNow();
        sessions.keySet().forEach(this::stopMedia);
        synchronized (this) {
            if (tone != null) {
                tone.close();
                toneSink.close();
                tone = null;
            }
        }
        List<Line> old = lines;
        lines = List.of();
        outgoing = null;
        closeAll(old);
    }

    // ---------------------------------------------------------------- user agent events (from every line)

    private void incomingCall(Call call) {
        boolean idle = current == null || current.state() == org.callibry.softphone.sip.CallState.ENDED;
        if (idle) {
            current = call;
        }
        if (call.state() == org.callibry.softphone.sip.CallState.RINGING) {
            ringing.put(call.id(), call);
        }
        notify(call, call.state());
        if (idle && autoAnswer && call.state() == org.callibry.softphone.sip.CallState.RINGING) {
            answer(call); // headset operators: the call is taken at once (a second call during one still rings)
        }
        if (call.state().established()) {
            media(call, call.media());
        }
    }

    private void callStateChanged(Call call, org.callibry.softphone.sip.CallState state) {
        if (state != org.callibry.softphone.sip.CallState.RINGING) {
            ringing.remove(call.id());
        }
        if (state == org.callibry.softphone.sip.CallState.ACTIVE) {
            answeredAt.putIfAbsent(call, Instant.now());
        }
        if (state.established()) {
            media(call, call.media());
        }
        if (state == org.callibry.softphone.sip.CallState.ENDED) {
            stopMedia(call);
            record(call);
            if (current == call) {
                current = nextCall();
            }
            notify(call, state);
            lineOf.remove(call); // after the event, which names the call's line
            return;
        }
        notify(call, state);
    }

    private void mediaChanged(Call call, CallMedia media) {
        if (call.state().established()) {
            media(call, media);
        }
    }

    /**
     * Ringtone while an incoming call rings (unless a call is in progress: call waiting stays quiet),
     * local ringback while an outgoing call waits for an answer, silence otherwise.
     */
    private synchronized void tones() {
        List<Call> calls = calls();
        boolean talking = calls.stream().anyMatch(c -> c.state().established());
        boolean ringing = !talking && calls.stream().anyMatch(c -> c.direction() == Call.Direction.INCOMING
                && c.state() == org.callibry.softphone.sip.CallState.RINGING);
        boolean ringback = !talking && calls.stream().anyMatch(c -> c.direction() == Call.Direction.OUTGOING
                && (c.state() == org.callibry.softphone.sip.CallState.DIALING || c.state() == org.callibry.softphone.sip.CallState.EARLY));
        String kind = ringing ? "ring" : ringback ? "ringback" : null;
        if (java.util.Objects.equals(kind, toneKind)) {
            return; // the same tone goes on, its cadence not restarted
        }
        toneKind = kind;
        if (tone != null) {
            tone.close();
            toneSink.close();
            tone = null;
            toneSink = null;
        }
        if (ringing || ringback) {
            toneSink = ringing ? audio.ringer() : audio.ringback();
            tone = org.callibry.softphone.audio.AudioPlayer.start(ringing ? org.callibry.softphone.audio.Ringer.ringtone()
                    : org.callibry.softphone.audio.Ringer.ringback(), toneSink);
        }
    }

    private void notify(Call call, org.callibry.softphone.sip.CallState state) {
        try {
            tones();
        } catch (RuntimeException e) {
            // a missing sound device must not stop the call
        }
        Phone.Ending ending = call.end().map(e -> new Phone.Ending(e.reason().name(), e.status(), e.text())).orElse(null);
        String reason = ending == null ? null : ending.detail() == null || ending.detail().isBlank() ? ending.kind() : ending.detail();
        Line line = lineOf(call);
        CallInfo info = new CallInfo(call.id(), call.remoteUser(), call.remoteDisplayName(), call.direction() == Call.Direction.INCOMING,
                Phone.CallState.valueOf(state.name()), reason, line == null ? "" : line.label, ending);
        listeners.forEach(l -> l.call(info));
    }

    /** Starts or updates the call's RTP session from its negotiated media. */
    private synchronized void media(Call call, CallMedia m) {
        if (m == null || m.remote() == null || m.payloadType() < 0) {
            return;
        }
        RtpSession.Parameters p = new RtpSession.Parameters(m.remote(), m.payloadType(), m.telephoneEventPayloadType());
        Media existing = sessions.get(call);
        RtpSession s = existing == null ? null : existing.session();
        try {
            if (s == null) {
                // the UA bound the port it put into SDP; the RTP session binds it again for itself
                InetAddress address = call.rtpPorts().address();
                int port = m.localRtpPort();
                DatagramSocket rtp = call.rtpPorts().takeRtp();
                DatagramSocket rtcp = call.rtpPorts().takeRtcp();
                rtp.close();
                rtcp.close();
                s = RtpSession.bind(address, port);
                AudioSource source = audio.microphone();
                AudioSink sink = audio.speaker();
                s.start(p, source, sink);
                sessions.put(call, new Media(s, source, sink));
            } else {
                s.update(p);
            }
            s.setDirection(RtpSession.Direction.valueOf(m.direction().name()));
            // audio is expected only when neither side holds (recvonly: the other side holds us, and a holder
            // may send nothing at all); counted from now, as a resumed call had no audio while held
            if (m.direction() == org.callibry.softphone.sip.MediaDirection.SENDRECV) {
                listeningSince.putIfAbsent(call, System.nanoTime());
            } else {
                listeningSince.remove(call);
            }
            s.setMuted(silenced(call, m.direction()));
        } catch (IOException | RuntimeException e) {
            listeners.forEach(l -> l.call(new CallInfo(call.id(), call.remoteUser(), call.remoteDisplayName(),
                    call.direction() == Call.Direction.INCOMING, Phone.CallState.valueOf(call.state().name()),
                    "no audio: " + e.getMessage())));
        }
    }

    private void stopMedia(Call call) {
        listeningSince.remove(call);
        mutedCalls.remove(call);
        Media m = sessions.remove(call);
        if (m != null) {
            m.session().close();
            m.source().close();
            m.sink().close();
        }
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
