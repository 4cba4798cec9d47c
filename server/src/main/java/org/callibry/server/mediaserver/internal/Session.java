package org.callibry.server.mediaserver.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.calls.CallFailedException;
import org.callibry.server.calls.CallSession;
import org.callibry.server.calls.ForwardingCallSession;
import org.callibry.server.relay.rtp.MediaClock;
import org.callibry.server.relay.rtp.Player;
import org.callibry.server.relay.rtp.RtpNetwork;
import org.callibry.server.relay.rtp.RtpStream;
import org.callibry.server.relay.rtp.Sdp;
import org.callibry.shared.media.G711;
import org.callibry.shared.media.RtpPacket;
import org.callibry.shared.media.TelephoneEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call leg terminated on the media server (RFC 3261 UAS, SDP answerer per RFC 3264): one RTP port
 * pair, G.711 in and out, RFC 4733 telephone-events and SIP INFO digits in, and the primitives of
 * {@link CallSession} on top. Signaling runs on the media server's SIP stack, RTP on the relay's
 * network threads, playback on the {@link MediaClock}.
 */
final class Session implements CallSession {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final MediaServer server;
    private final String id = UUID.randomUUID().toString();
    private final Request invite;
    private final ServerTransaction inviteTx;
    /** Outbound legs (originate): our INVITE's transaction, and what completes when it is answered or fails. */
    private volatile javax.sip.ClientTransaction outboundTx;
    private final CompletableFuture<CallSession> established = new CompletableFuture<>();
    private final String caller;
    private final String called;
    private final String serviceName;
    private final Long tenantId;
    private final String toTag = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final RtpStream stream = new RtpStream();
    private final RtpNetwork.PortPair ports;
    private volatile int payloadType;
    private volatile int eventPayloadType;
    private volatile InetSocketAddress remote;
    private volatile InetSocketAddress latched;
    private volatile Dialog dialog;
    /** Why an outbound call ended before its answer, when that is known (a final response, our ring timeout). */
    private volatile CallFailedException failure;
    private volatile boolean answered;
    private volatile boolean ended;
    private volatile Player player;
    private volatile boolean playerInterruptible;
    private volatile boolean echo;
    private volatile Session bridged;
    /** Sessions that hear this one besides the bridged one (listen, whisper, barge, conferences). */
    private final java.util.List<Session> hearers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Set once this session hears more than one other: their audio is mixed on the media clock. */
    private volatile Mixer mixer;
    private volatile DigitCollector collector;
    private volatile CallerRecording recorder;
    private long lastEventTimestamp = -1;
    private volatile long lastRtpNanos = System.nanoTime();
    private volatile boolean held; // the caller's last offer was sendonly/inactive: silence is expected
    private final short[] pcm = new short[1024];
    private final byte[] out = new byte[1024];

    Session(MediaServer server, ServerTransaction inviteTx, Request invite, Sdp offer, String caller, String called,
            String serviceName, Long tenantId) {
        this.server = server;
        this.inviteTx = inviteTx;
        this.invite = invite;
        this.caller = caller;
        this.called = called;
        this.serviceName = serviceName;
        this.tenantId = tenantId;
        Sdp.Media audio = offer.media.stream().filter(m -> "audio".equals(m.type) && m.active()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no audio stream offered"));
        int pt = -1;
        for (String f : audio.formats) { // the offerer's preference order, G.711 only (RFC 3264 §6.1)
            if (f.equals("0") || f.equals("8")) {
                pt = Integer.parseInt(f);
                break;
            }
        }
        if (pt < 0) {
            throw new IllegalArgumentException("no G.711 codec (PCMU or PCMA) offered");
        }
        this.payloadType = pt;
        this.eventPayloadType = audio.payloadTypeOf("telephone-event");
        this.remote = new InetSocketAddress(Sdp.literal(audio.address(offer)), audio.port);
        this.ports = server.network().openPair(this::rtp, (p, b, f, n) -> { });
        if (ports == null) {
            throw new IllegalStateException("no free RTP port");
        }
    }

    /** An outbound leg (originate): we offer PCMU, PCMA and telephone-event; the answer picks. */
    Session(MediaServer server, Request invite, String caller, String called, Long tenantId) {
        this.server = server;
        this.inviteTx = null;
        this.invite = invite;
        this.caller = caller;
        this.called = called;
        this.serviceName = "";
        this.tenantId = tenantId;
        this.payloadType = 0;
        this.eventPayloadType = 101;
        this.ports = server.network().openPair(this::rtp, (p, b, f, n) -> { });
        if (ports == null) {
            throw new IllegalStateException("no free RTP port");
        }
    }

    /** Our offer for an outbound leg: PCMU, PCMA and telephone-event; the answer picks. */
    String offerSdp() {
        return sdp(new int[] {0, 8}, 101, Sdp.Direction.SENDRECV);
    }

    void sendInvite(javax.sip.ClientTransaction ct) throws javax.sip.SipException {
        outboundTx = ct;
        ct.sendRequest();
    }

    CompletableFuture<CallSession> established() {
        return established;
    }

    /** A response to our INVITE (RFC 3261 §13.2.2): 2xx answers (ACK, media from the SDP answer), ≥ 300 ends. */
    void response(javax.sip.ResponseEvent event) {
        Response r = event.getResponse();
        int code = r.getStatusCode();
        if (code < 200) {
            return;
        }
        if (code >= 300) {
            fail(CallFailedException.ofResponse(code, code + " " + r.getReasonPhrase()));
            return;
        }
        try {
            Dialog d = event.getDialog() != null ? event.getDialog() : event.getClientTransaction().getDialog();
            long cseq = ((javax.sip.header.CSeqHeader) r.getHeader(javax.sip.header.CSeqHeader.NAME)).getSeqNumber();
            d.sendAck(d.createAck(cseq));
            if (answered) {
                return; // a retransmitted 2xx: ACKed again, nothing else
            }
            Sdp sdp = Sdp.parse(new String(r.getRawContent(), StandardCharsets.UTF_8));
            Sdp.Media audio = sdp.media.stream().filter(m -> "audio".equals(m.type) && m.active()).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no audio in the answer"));
            int pt = audio.firstPayloadType();
            if (pt != 0 && pt != 8) {
                throw new IllegalArgumentException("the answer chose payload type " + pt + ", not G.711");
            }
            payloadType = pt;
            eventPayloadType = audio.payloadTypeOf("telephone-event");
            remote = new InetSocketAddress(Sdp.literal(audio.address(sdp)), audio.port);
            dialog = d;
            answered = true;
        } catch (Exception e) {
            log.warn("Outbound call {} answered with an unusable SDP: {}", callId(), e.getMessage());
            dialog = event.getClientTransaction().getDialog();
            answered = true;
            hangup("unusable SDP answer");
            return;
        }
        established.complete(this);
        listeners.forEach(l -> l.answered(this));
    }

    /** No answer in time: CANCEL (RFC 3261 §9.1). */
    void notAnswered(String reason) {
        notAnswered(new CallFailedException(0, CallFailedException.Result.NO_ANSWER, reason));
    }

    /** An outbound call given up before the answer: CANCEL (RFC 3261 §9.1), and the future fails with {@code why}. */
    void notAnswered(CallFailedException why) {
        if (answered || ended) {
            return;
        }
        javax.sip.ClientTransaction ct = outboundTx;
        if (ct != null) {
            try {
                server.provider().getNewClientTransaction(ct.createCancel()).sendRequest();
            } catch (Exception e) {
                log.debug("Cannot CANCEL {}", callId(), e);
            }
        }
        fail(why);
    }

    /** An outbound call that ends unanswered: its future fails with {@code why}. */
    void fail(CallFailedException why) {
        failure = why;
        end(why.getMessage().substring("call ended: ".length()));
    }

    // ------------------------------------------------------------------ identity

    @Override
    public String id() {
        return id;
    }

    @Override
    public String callId() {
        return ((javax.sip.header.CallIdHeader) invite.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
    }

    @Override
    public String caller() {
        return caller;
    }

    @Override
    public String called() {
        return called;
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    @Override
    public Long tenantId() {
        return tenantId;
    }

    @Override
    public boolean active() {
        return !ended;
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    boolean isAnswered() {
        return answered;
    }

    /** Seconds since the caller last sent RTP, once answered; 0 before answer or while it holds. */
    long silentSeconds() {
        return !answered || held ? 0 : TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastRtpNanos);
    }

    int localPort() {
        return ports.rtp().port;
    }

    // ------------------------------------------------------------------ signaling

    String answerSdp(Sdp.Direction direction) {
        return sdp(new int[] {payloadType}, eventPayloadType, direction);
    }

    /** An SDP body with our address and RTP port, these G.711 formats and telephone-event when {@code eventPt >= 0}. */
    private String sdp(int[] codecs, int eventPt, Sdp.Direction direction) {
        String a = server.advertised();
        String ip = a.indexOf(':') >= 0 ? "IP6" : "IP4";
        StringBuilder sdp = new StringBuilder()
                .append("v=0\r\n")
                .append("o=callibry ").append(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)).append(" 1 IN ")
                .append(ip).append(' ').append(a).append("\r\n")
                .append("s=callibry\r\n")
                .append("c=IN ").append(ip).append(' ').append(a).append("\r\n")
                .append("t=0 0\r\n")
                .append("m=audio ").append(localPort()).append(" RTP/AVP");
        for (int pt : codecs) {
            sdp.append(' ').append(pt);
        }
        if (eventPt >= 0) {
            sdp.append(' ').append(eventPt);
        }
        sdp.append("\r\n");
        for (int pt : codecs) {
            sdp.append("a=rtpmap:").append(pt).append(pt == 0 ? " PCMU/8000" : " PCMA/8000").append("\r\n");
        }
        if (eventPt >= 0) {
            sdp.append("a=rtpmap:").append(eventPt).append(" telephone-event/8000\r\n")
                    .append("a=fmtp:").append(eventPt).append(" 0-16\r\n");
        }
        return sdp.append("a=ptime:20\r\na=").append(direction.attribute()).append("\r\n").toString();
    }

    @Override
    public synchronized void answer() {
        if (answered || ended || inviteTx == null) {
            return;
        }
        try {
            Response ok = server.messages().createResponse(Response.OK, invite);
            ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(toTag);
            ok.addHeader(server.contact());
            ok.setContent(answerSdp(Sdp.Direction.SENDRECV), server.headers().createContentTypeHeader("application", "sdp"));
            inviteTx.sendResponse(ok);
            dialog = inviteTx.getDialog();
            answered = true;
        } catch (Exception e) {
            log.warn("Cannot answer {}: {}", callId(), e.getMessage());
            end("answer failed: " + e.getMessage());
            return;
        }
        listeners.forEach(l -> l.answered(this));
    }

    @Override
    public synchronized void reject(int code, String reason) {
        if (answered || ended) {
            return;
        }
        if (inviteTx == null) {
            notAnswered(CallFailedException.ofResponse(code, code + " " + (reason == null ? "" : reason)));
            return;
        }
        try {
            Response r = server.messages().createResponse(code, invite);
            if (reason != null) {
                r.setReasonPhrase(reason);
            }
            ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(toTag);
            inviteTx.sendResponse(r);
        } catch (Exception e) {
            log.debug("Cannot reject {}", callId(), e);
        }
        end(code + " " + (reason == null ? "" : reason));
    }

    @Override
    public void hangup(String reason) {
        if (ended) {
            return;
        }
        if (!answered) {
            reject(Response.TEMPORARILY_UNAVAILABLE, reason);
            return;
        }
        try {
            Dialog d = dialog;
            if (d != null) {
                Request bye = d.createRequest(Request.BYE);
                bye.addHeader(server.headers().createReasonHeader("SIP", 200, reason == null ? "hangup" : reason));
                ClientTransaction ct = server.provider().getNewClientTransaction(bye);
                d.sendRequest(ct);
            }
        } catch (Exception e) {
            log.debug("Cannot send BYE for {}: {}", callId(), e.getMessage());
        }
        end(reason);
    }

    @Override
    public void transfer(String targetUri) {
        try {
            Dialog d = dialog;
            if (d == null) {
                throw new IllegalStateException("transfer before answer");
            }
            Request refer = d.createRequest(Request.REFER);
            refer.addHeader(server.headers().createReferToHeader(server.addresses().createAddress(targetUri)));
            d.sendRequest(server.provider().getNewClientTransaction(refer));
        } catch (Exception e) {
            log.warn("Cannot transfer {} to {}: {}", callId(), targetUri, e.getMessage());
        }
    }

    /** A re-INVITE (hold, resume, new address): answered with our SDP, the same port (RFC 3264 §8). */
    void reinvite(ServerTransaction st, Request request) {
        try {
            Sdp.Direction answer = Sdp.Direction.SENDRECV;
            if (request.getRawContent() != null && request.getRawContent().length > 0) {
                Sdp sdp = Sdp.parse(new String(request.getRawContent(), StandardCharsets.UTF_8));
                for (Sdp.Media m : sdp.media) {
                    if ("audio".equals(m.type) && m.active()) {
                        // RFC 3264 §6.1: sendonly is answered recvonly, inactive inactive, recvonly sendonly
                        answer = switch (m.direction(sdp)) {
                            case SENDONLY -> Sdp.Direction.RECVONLY;
                            case INACTIVE -> Sdp.Direction.INACTIVE;
                            case RECVONLY -> Sdp.Direction.SENDONLY;
                            case SENDRECV -> Sdp.Direction.SENDRECV;
                        };
                        held = sdp.holds(m);
                        if (!"0.0.0.0".equals(m.address(sdp))) {
                            InetSocketAddress moved = new InetSocketAddress(Sdp.literal(m.address(sdp)), m.port);
                            if (!moved.equals(remote)) {
                                remote = moved;
                                latched = null;
                            }
                        }
                    }
                }
            }
            Response ok = server.messages().createResponse(Response.OK, request);
            ok.addHeader(server.contact());
            ok.setContent(answerSdp(answer), server.headers().createContentTypeHeader("application", "sdp"));
            st.sendResponse(ok);
        } catch (Exception e) {
            server.respond(st, request, Response.NOT_ACCEPTABLE_HERE);
        }
    }

    /** SIP INFO digits: {@code application/dtmf-relay} ("Signal=5") or {@code application/dtmf} ("5"). */
    boolean info(Request request) {
        ContentTypeHeader ct = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        byte[] raw = request.getRawContent();
        if (ct == null || raw == null) {
            return false;
        }
        String body = new String(raw, StandardCharsets.UTF_8).strip();
        String sub = ct.getContentSubType().toLowerCase();
        String signal = null;
        if (sub.equals("dtmf-relay")) {
            for (String line : body.split("\r?\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).strip().equalsIgnoreCase("Signal")) {
                    signal = line.substring(eq + 1).strip();
                }
            }
        } else if (sub.equals("dtmf")) {
            signal = body;
        }
        if (signal == null || signal.length() != 1 || "0123456789*#ABCDabcd".indexOf(signal.charAt(0)) < 0) {
            return false;
        }
        digit(Character.toUpperCase(signal.charAt(0)));
        return true;
    }

    /** The end of the session however it came: ports released, playback and recording stopped, listeners told. */
    void end(String reason) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        stopPlayback();
        CallFailedException why = failure;
        established.completeExceptionally(why != null ? why
                : new CallFailedException(0, CallFailedException.Result.FAILED, reason));
        Session b = bridged;
        if (b != null) {
            b.bridged = null;
            bridged = null;
        }
        hearers.clear();
        for (Session other : server.sessionsHearing(this)) {
            other.hearers.remove(this);
        }
        Mixer m = mixer;
        if (m != null) {
            server.clock().remove(m);
        }
        DigitCollector c = collector;
        if (c != null) {
            c.finish();
        }
        CallerRecording r = recorder;
        if (r != null) {
            r.stop();
        }
        server.network().close(ports);
        server.ended(this);
        listeners.forEach(l -> {
            try {
                l.ended(this, reason);
            } catch (RuntimeException e) {
                log.debug("Listener failed", e);
            }
        });
    }

    // ------------------------------------------------------------------ media out

    /** One stream, several writers (the media clock, this leg's and a bridged leg's network threads): one at a time. */
    private void sendPayload(byte[] payload, int length) {
        synchronized (stream) {
            send(stream.packet(payloadType, payload, length, length));
        }
    }

    private void send(ByteBuffer packet) {
        InetSocketAddress to = latched != null ? latched : remote;
        if (to != null && !ended) {
            ports.rtp().send(packet, to);
        }
    }

    @Override
    public void play(List<short[]> prompts, boolean loop, boolean interruptible) {
        stopPlayback();
        if (ended) {
            return;
        }
        playerInterruptible = interruptible;
        Player[] self = new Player[1];
        self[0] = new Player(server.clock(), stream, packet -> {
            synchronized (stream) {
                send(packet);
            }
        }, payloadType, prompts, loop, () -> {
            if (player == self[0]) {
                player = null;
                listeners.forEach(l -> l.playbackFinished(this));
            }
        });
        player = self[0];
        if (ended) {
            stopPlayback(); // ended while we were starting it
        }
    }

    @Override
    public void stopPlayback() {
        Player p = player;
        player = null;
        if (p != null) {
            p.close();
        }
    }

    @Override
    public void echo(boolean on) {
        echo = on;
    }

    @Override
    public void bridge(CallSession other) {
        if (!(ForwardingCallSession.unwrap(other) instanceof Session s) || s == this) {
            throw new IllegalArgumentException("can only bridge two sessions of this media server");
        }
        stopPlayback();
        s.stopPlayback();
        bridged = s;
        s.bridged = this;
    }

    @Override
    public void unbridge() {
        Session b = bridged;
        bridged = null;
        if (b != null) {
            b.bridged = null;
        }
    }

    @Override
    public void hear(CallSession other, boolean on) {
        if (!(ForwardingCallSession.unwrap(other) instanceof Session s) || s == this) {
            throw new IllegalArgumentException("can only hear another session of this media server");
        }
        if (!on) {
            s.hearers.remove(this);
            Mixer m = mixer;
            if (m != null) {
                m.remove(s);
            }
            return;
        }
        synchronized (this) {
            if (mixer == null) {
                stopPlayback();
                mixer = new Mixer(this::bridgedAudio);
                server.clock().add(mixer);
            }
        }
        if (!s.hearers.contains(this)) {
            s.hearers.add(this);
        }
    }

    boolean hears(Session source) {
        return source.hearers.contains(this);
    }

    /** Audio another session received, decoded: mixed when this session hears several, else sent at once. */
    private void audioFrom(Session source, short[] samples, int count) {
        Mixer m = mixer;
        if (m != null) {
            m.frame(source, samples, count);
        } else {
            bridgedAudio(samples, count);
        }
    }

    /** Audio from a bridged session, already decoded: encoded for our codec and sent. */
    private void bridgedAudio(short[] samples, int count) {
        if (player != null) {
            return; // a prompt to this leg has priority over the bridge
        }
        byte[] encoded = new byte[count];
        if (payloadType == 0) {
            G711.encodeUlaw(samples, 0, count, encoded, 0);
        } else {
            G711.encodeAlaw(samples, 0, count, encoded, 0);
        }
        sendPayload(encoded, count);
    }

    // ------------------------------------------------------------------ media in (network thread)

    private void rtp(RtpNetwork.RtpPort port, ByteBuffer packet, InetSocketAddress from, long nanos) {
        if (ended) {
            return;
        }
        InetSocketAddress l = latched;
        if (l == null || !RtpStream.sameAddress(l, from)) {
            // symmetric RTP: answer where the caller really sends from (NAT); latched once — afterwards only
            // the address of its SDP may take over, so a stranger cannot redirect prompts or bridged audio
            InetSocketAddress r = remote;
            if (l != null && (r == null || !RtpStream.sameAddress(r, from))) {
                return;
            }
            latched = from;
        }
        lastRtpNanos = nanos;
        int off = RtpPacket.payloadOffset(packet);
        if (off < 0) {
            return;
        }
        int pt = RtpPacket.payloadType(packet);
        int len = RtpPacket.payloadLength(packet, off);
        int p = packet.position();
        if (pt == eventPayloadType && len >= TelephoneEvent.PAYLOAD_LENGTH) {
            long timestamp = packet.getInt(p + 4) & 0xffffffffL;
            if (timestamp != lastEventTimestamp) { // a new event; its repeats and end packets share the timestamp (RFC 4733 §2.5.1)
                lastEventTimestamp = timestamp;
                int event = packet.get(p + off) & 0xff;
                if (event <= 15) {
                    digit(TelephoneEvent.digit(event));
                }
            }
            return;
        }
        if (pt != payloadType || len > out.length) {
            return;
        }
        if (echo) {
            byte[] copy = new byte[len];
            packet.get(p + off, copy);
            sendPayload(copy, len);
        }
        Session b = bridged;
        CallerRecording r = recorder;
        if (b == null && r == null && hearers.isEmpty()) {
            return;
        }
        byte[] payload = new byte[len];
        packet.get(p + off, payload);
        if (pt == 0) {
            G711.decodeUlaw(payload, 0, len, pcm, 0);
        } else {
            G711.decodeAlaw(payload, 0, len, pcm, 0);
        }
        if (b != null) {
            b.audioFrom(this, pcm, len);
        }
        for (Session h : hearers) {
            h.audioFrom(this, pcm, len);
        }
        if (r != null) {
            short[] copy = new short[len];
            System.arraycopy(pcm, 0, copy, 0, len);
            r.offer(copy);
        }
    }

    private void digit(char d) {
        if (playerInterruptible) {
            stopPlayback();
        }
        DigitCollector c = collector;
        if (c != null) {
            c.digit(d);
        }
        CallerRecording r = recorder;
        if (r != null && r.stopDigits.indexOf(d) >= 0) {
            r.stop();
        }
        listeners.forEach(l -> l.digit(this, d));
    }

    // ------------------------------------------------------------------ digits and recording

    @Override
    public CompletableFuture<String> collectDigits(int maxDigits, Duration firstDigitTimeout, Duration interDigitTimeout,
                                                   String terminators) {
        DigitCollector c = new DigitCollector(server.timers(), maxDigits, interDigitTimeout, terminators,
                done -> {
                    if (collector == done) {
                        collector = null;
                    }
                });
        DigitCollector old = collector;
        if (old != null) {
            old.finish();
        }
        collector = c;
        c.arm(firstDigitTimeout);
        if (ended) {
            c.finish();
        }
        return c.result;
    }

    @Override
    public CompletableFuture<Path> record(Path wav, Duration max, String stopDigits) {
        CallerRecording old = recorder;
        if (old != null) {
            old.stop();
        }
        CallerRecording r = new CallerRecording(wav, stopDigits, done -> {
            if (recorder == done) {
                recorder = null;
            }
        });
        recorder = r;
        server.timers().schedule(r::stop, max.toMillis(), TimeUnit.MILLISECONDS);
        Thread.ofVirtual().name("record-" + id).start(r::run);
        return r.result;
    }
}
