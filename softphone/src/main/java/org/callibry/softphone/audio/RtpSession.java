package org.callibry.softphone.audio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.callibry.softphone.stun.StunClient;

/**
 * The audio of one call over RTP (RFC 3550): every 20 ms a frame read from the {@link AudioSource}
 * is sent G.711-encoded and a frame from the {@link JitterBuffer} is written to the {@link AudioSink}.
 *
 * <p>Life: {@link #bind} a port (the user agent puts it in its SDP), {@link #start} with what the
 * SDP negotiation settled ({@link Parameters}), {@link #update} on a re-INVITE, {@link #close} on
 * hang-up. RTP is symmetric (RFC 4961): once packets arrive, they are answered to the address they
 * come from (latching), which gets through NATs whatever the SDP said. RTCP sender reports go out
 * every 5 s from the next port up when it could be bound.
 *
 * <p>The halves: {@link RtpSender} on the clock thread, {@link RtpReceiver} (with {@link DtmfReceiver})
 * on the receive thread, {@link RtcpReports}, and {@link SymmetricRtp} for where packets go.
 */
public final class RtpSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RtpSession.class.getName());
    public static final int PCMU = 0;
    public static final int PCMA = 8;
    /** RFC 3550 §6.2: 5 s is the usual minimum report interval. */
    static final int RTCP_INTERVAL_FRAMES = 5000 / AudioFrame.MILLIS;
    private static final int MAX_DATAGRAM = 2048;

    /**
     * What the offer/answer settled.
     *
     * @param remote                     the address and port from the far end's SDP (c= and m=)
     * @param payloadType                {@link #PCMU} (0) or {@link #PCMA} (8)
     * @param telephoneEventPayloadType  the dynamic payload type of telephone-event, or -1 if not negotiated
     */
    public record Parameters(InetSocketAddress remote, int payloadType, int telephoneEventPayloadType) {
        public Parameters {
            Objects.requireNonNull(remote, "remote");
            if (payloadType != PCMU && payloadType != PCMA) {
                throw new IllegalArgumentException("payload type must be 0 (PCMU) or 8 (PCMA): " + payloadType);
            }
            if (telephoneEventPayloadType != -1 && (telephoneEventPayloadType < 96 || telephoneEventPayloadType > 127)) {
                throw new IllegalArgumentException("telephone-event needs a dynamic payload type: "
                        + telephoneEventPayloadType);
            }
        }
    }

    /** The SDP media direction from our side. */
    public enum Direction {
        SENDRECV(true, true), SENDONLY(true, false), RECVONLY(false, true), INACTIVE(false, false);

        private final boolean sends;
        private final boolean receives;

        Direction(boolean sends, boolean receives) {
            this.sends = sends;
            this.receives = receives;
        }

        public boolean sends() {
            return sends;
        }

        public boolean receives() {
            return receives;
        }
    }

    /** What muting does: keep sending silence (the far end's NAT binding stays open) or send nothing. */
    public enum MuteMode { SEND_SILENCE, STOP_SENDING }

    /**
     * What the far end last reported about our stream in RTCP (RFC 3550 §6.4.1).
     *
     * @param fractionLost   the share of our packets it lost in its last interval, 0.0-1.0
     * @param cumulativeLost packets of ours it lost in all
     * @param jitterMillis   the jitter it measured on our packets
     * @param roundTripMillis the round trip from its LSR/DLSR, or -1 when it had no SR of ours yet
     */
    public record RemoteReport(double fractionLost, long cumulativeLost, double jitterMillis, long roundTripMillis) {
    }

    /** A snapshot of the counters; jitter per RFC 3550 §A.8 converted to milliseconds. */
    public record Statistics(long packetsSent, long octetsSent, long packetsReceived, long packetsLost,
                             double jitterMillis, long latePackets, long concealedFrames, int playoutDelayMillis,
                             long rtcpSent, long rtcpReceived, InetSocketAddress remote, boolean latched,
                             long idleMillis, RemoteReport remoteReport) {
    }

    private final DatagramSocket rtp;
    private final DatagramSocket rtcp;
    private final JitterBuffer jitterBuffer = new JitterBuffer();
    private final ReceptionStatistics reception = new ReceptionStatistics();
    private final DtmfReceiver dtmfReceiver = new DtmfReceiver();
    private final SymmetricRtp peer = new SymmetricRtp();
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    private final RtpSender sender;
    private final RtpReceiver receiver;
    private final RtcpReports reports;

    private volatile Parameters parameters;
    private volatile AudioSource source;
    private volatile AudioSink sink;
    private volatile boolean muted;
    private volatile MuteMode muteMode = MuteMode.SEND_SILENCE;
    private volatile boolean held;
    private volatile Direction direction = Direction.SENDRECV;
    private volatile boolean closed;
    private volatile long lastHeardNanos;

    // clock thread only
    private long ticks;
    private boolean wasHeld;

    private FrameClock clock;
    private Thread rtpReceiver;
    private Thread rtcpReceiver;

    private RtpSession(DatagramSocket rtp, DatagramSocket rtcp) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.sender = new RtpSender(rtp, ssrc, peer, () -> closed);
        this.receiver = new RtpReceiver(jitterBuffer, reception, dtmfReceiver, peer);
        this.reports = new RtcpReports(rtcp, ssrc, reception, peer, () -> closed);
    }

    /**
     * Binds the RTP socket on {@code address}: {@code port} 0 picks a free even port whose next port
     * is free too (RFC 3550 §11), otherwise the port given. RTCP takes port + 1 if it is free; the
     * session works without it.
     */
    public static RtpSession bind(InetAddress address, int port) throws SocketException {
        if (port != 0) {
            DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(address, port));
            return new RtpSession(rtp, tryBind(address, port + 1));
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(address, 0));
            int p = rtp.getLocalPort();
            if (p % 2 == 0 && p < 65535) {
                DatagramSocket rtcp = tryBind(address, p + 1);
                if (rtcp != null) {
                    return new RtpSession(rtp, rtcp);
                }
            }
            rtp.close();
        }
        DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(address, 0));
        return new RtpSession(rtp, tryBind(address, rtp.getLocalPort() + 1));
    }

    private static DatagramSocket tryBind(InetAddress address, int port) {
        if (port > 65535) {
            return null;
        }
        try {
            return new DatagramSocket(new InetSocketAddress(address, port));
        } catch (SocketException e) {
            return null;
        }
    }

    /** The local RTP port, for the SDP's m= line. */
    public int localPort() {
        return rtp.getLocalPort();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) rtp.getLocalSocketAddress();
    }

    /** The local RTCP port (RTP + 1), or -1 if it could not be bound. */
    public int localRtcpPort() {
        return rtcp == null ? -1 : rtcp.getLocalPort();
    }

    /** Our synchronization source identifier. */
    public int ssrc() {
        return ssrc;
    }

    /**
     * Asks a STUN server which public address this session's RTP port is seen from, for the SDP when
     * the phone is behind a NAT. Only before {@link #start}: afterwards the receive thread owns the socket.
     */
    public InetSocketAddress discoverPublicAddress(StunClient stun) throws IOException {
        synchronized (this) {
            if (clock != null) {
                throw new IllegalStateException("STUN must run before the session starts");
            }
        }
        return stun.discover(rtp);
    }

    /** Starts sending and playing; may be called once. */
    public synchronized void start(Parameters parameters, AudioSource source, AudioSink sink) {
        if (clock != null) {
            throw new IllegalStateException("already started");
        }
        if (closed) {
            throw new IllegalStateException("closed");
        }
        this.source = Objects.requireNonNull(source, "source");
        this.sink = Objects.requireNonNull(sink, "sink");
        update(parameters);
        lastHeardNanos = System.nanoTime();
        String name = "rtp-" + localPort();
        rtpReceiver = Thread.ofPlatform().name(name + "-rx").daemon().start(() -> receive(rtp, "RTP", this::onRtp));
        if (rtcp != null) {
            rtcpReceiver = Thread.ofPlatform().name(name + "-rtcp").daemon().start(() -> receive(rtcp, "RTCP", this::onRtcp));
        }
        clock = FrameClock.start(name + "-clock", this::tick);
    }

    /** New offer/answer (re-INVITE): the SDP address is used again until packets latch it. */
    public void update(Parameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        peer.expect(parameters.remote());
    }

    /** Replaces the audio source (the microphone, a file, a tone) without a gap in the stream. */
    public void setSource(AudioSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Replaces where received audio is played. */
    public void setSink(AudioSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public void setMuted(boolean muted) {
        this.muted = muted;
    }

    public boolean muted() {
        return muted;
    }

    public void setMuteMode(MuteMode mode) {
        this.muteMode = Objects.requireNonNull(mode, "mode");
    }

    /** On hold nothing is sent or played (RTCP goes on); on resume the jitter buffer starts afresh. */
    public void setHold(boolean held) {
        this.held = held;
    }

    public boolean held() {
        return held;
    }

    /**
     * The direction the offer/answer settled (RFC 3264 §5.1, {@code a=sendrecv} and the others), from
     * our side: {@code RECVONLY} when the far end holds us (we stop sending, still play its music),
     * {@code SENDONLY} when we hold with music. {@link #setHold} stops both whatever this says.
     */
    public void setDirection(Direction direction) {
        this.direction = Objects.requireNonNull(direction, "direction");
    }

    public Direction direction() {
        return direction;
    }

    private boolean sending() {
        return !held && direction.sends();
    }

    private boolean playing() {
        return !held && direction.receives();
    }

    /**
     * Sends a DTMF digit ({@code 0-9 * # A-D}) as RFC 4733 telephone-events lasting
     * {@code durationMillis}; digits queue up and go one after another.
     *
     * @throws IllegalStateException if telephone-event was not negotiated
     */
    public void sendDigit(char digit, int durationMillis) {
        if (parameters == null || parameters.telephoneEventPayloadType() < 0) {
            throw new IllegalStateException("telephone-event was not negotiated");
        }
        sender.enqueueDigit(digit, durationMillis);
    }

    /** Are digits still being sent? */
    public boolean sendingDigits() {
        return sender.sendingDigits();
    }

    public void addDtmfListener(DtmfListener listener) {
        dtmfReceiver.addListener(listener);
    }

    public void removeDtmfListener(DtmfListener listener) {
        dtmfReceiver.removeListener(listener);
    }

    public Statistics statistics() {
        JitterBuffer.Statistics jb = jitterBuffer.statistics();
        double jitter;
        long received;
        long lost;
        synchronized (reception) {
            jitter = reception.jitter() / (AudioFrame.SAMPLE_RATE / 1000.0);
            received = reception.received();
            lost = reception.lost();
        }
        return new Statistics(sender.packetsSent(), sender.octetsSent(), received, lost, jitter, jb.late(), jb.concealed(),
                jb.bufferedMillis(), reports.sent(), reports.receivedCount(), peer.remote(), peer.latched(), idleMillis(),
                reports.remoteReport());
    }

    /**
     * Milliseconds since the last RTP or RTCP packet arrived (since {@link #start} if none has), so
     * the user agent can end a call the network dropped; a held call is expected to be quiet.
     */
    public long idleMillis() {
        long last = lastHeardNanos;
        return last == 0 ? 0 : (System.nanoTime() - last) / 1_000_000;
    }

    /** Statistics of the jitter buffer (target delay, concealment, drops). */
    public JitterBuffer.Statistics jitterBufferStatistics() {
        return jitterBuffer.statistics();
    }

    // ---- clock thread ----

    private void tick() {
        if (closed) {
            return;
        }
        Parameters p = parameters;
        if (sending()) {
            sender.send(p, source.read(), muted, muteMode);
        } else {
            sender.pause();
        }
        if (playing()) {
            if (wasHeld) {
                wasHeld = false;
                jitterBuffer.reset();
            }
            sink.write(jitterBuffer.poll());
        } else {
            wasHeld = true;
        }
        if (rtcp != null && ticks % RTCP_INTERVAL_FRAMES == RTCP_INTERVAL_FRAMES / 2) {
            reports.send(sender.timestamp(), sender.packetsSent(), sender.octetsSent());
        }
        ticks++;
        sender.advance();
    }

    // ---- receive threads ----

    private void receive(DatagramSocket socket, String what, Consumer<DatagramPacket> handler) {
        byte[] buf = new byte[MAX_DATAGRAM];
        DatagramPacket datagram = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                datagram.setLength(buf.length);
                socket.receive(datagram);
                handler.accept(datagram);
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.DEBUG, what + " receive failed: {0}", e.toString());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "bad " + what + " packet dropped: {0}", e.toString());
            }
        }
    }

    private void onRtp(DatagramPacket datagram) {
        long arrivalNanos = System.nanoTime();
        if (RtcpReports.multiplexed(datagram)) {
            onRtcp(datagram);
            return;
        }
        if (receiver.received(datagram, arrivalNanos, parameters, playing())) {
            lastHeardNanos = arrivalNanos;
        }
    }

    private void onRtcp(DatagramPacket datagram) {
        lastHeardNanos = System.nanoTime();
        reports.received(datagram);
    }

    /** Stops the clock, closes the sockets; the source and sink are left to their owner. */
    @Override
    public void close() {
        closed = true;
        FrameClock c;
        synchronized (this) {
            c = clock;
        }
        if (c != null) {
            c.close();
        }
        rtp.close();
        if (rtcp != null) {
            rtcp.close();
        }
        for (Thread t : new Thread[] {rtpReceiver, rtcpReceiver}) {
            if (t != null) {
                try {
                    t.join(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
