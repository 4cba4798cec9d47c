package org.callibry.server.relay.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.callibry.server.relay.rtp.RtpNetwork;
import org.callibry.server.relay.rtp.RtpStream;
import org.callibry.server.relay.rtp.Sdp;
import org.callibry.shared.media.RtpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTP relay of one media node: calls keyed by Call-ID, each with two sides (the first offerer and
 * the answerer, known by their SIP tags) and, per SDP media line, a port pair on each side. A side
 * sends to its own port pair; the relay forwards to the other side from that side's pair, so both see
 * one symmetric address (RFC 4961). Offer/answer follow the rtpengine ng semantics, so this serves the
 * ng protocol and the in-process signaling alike.
 *
 * <p>Latching: a side's real address is learnt from its first packet (phones behind NAT announce a
 * private address); a different source is accepted later only when the latched one has been silent
 * for {@link #RELATCH_AFTER_NANOS}, which follows NAT rebinding without letting a stranger take a
 * live stream over.
 */
final class Relay {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    static final long RELATCH_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What a command may ask for besides the SDP. */
    record Flags(boolean record, boolean stereo, boolean musicOnHold, boolean replaceOrigin, Long tenantId,
                 String aNumber, String bNumber) {
        static final Flags NONE = new Flags(false, false, true, false, null, null, null);
    }

    /** Starts music towards a leg whose other side holds; returns what stops it. */
    interface HoldMusic {
        AutoCloseable play(Leg towards, int payloadType, Long tenantId);
    }

    /** Starts a recorder for a call; null when recording is not available. */
    interface Recorders {
        Recording start(String callId, Flags flags);
    }

    /** The relay's view of a call recorder. */
    interface Recording {
        void packet(int side, long nanos, int payloadType, byte[] payload, int offset, int length);

        void close(String error);
    }

    final class Call {
        final String callId;
        final Instant created = Instant.now();
        final Side[] sides = new Side[2];
        volatile long lastPacketNanos = System.nanoTime();
        volatile Instant lastSignal = Instant.now();
        volatile Recording recording;
        Flags flags = Flags.NONE;
        boolean deleted; // under the call's lock: a command racing the delete must not bring it back

        Call(String callId) {
            this.callId = callId;
        }

        Side side(String tag) {
            for (Side s : sides) {
                if (s != null && tag != null && tag.equals(s.tag)) {
                    return s;
                }
            }
            return null;
        }

        Side other(Side s) {
            return sides[0] == s ? sides[1] : sides[0];
        }
    }

    final class Side {
        final int index; // 0 caller (first offerer), 1 callee
        final Call call;
        volatile String tag;
        final List<Leg> legs = new ArrayList<>();
        boolean holding; // this side's last offer put the other on hold
        boolean offeredInactive;

        Side(Call call, int index, String tag) {
            this.call = call;
            this.index = index;
            this.tag = tag;
        }
    }

    /** One side of one media line: the port pair this side sends to, and where its media is sent. */
    final class Leg {
        final Side side;
        final RtpNetwork.PortPair ports;
        volatile Leg peer;
        volatile InetSocketAddress rtpTarget;
        volatile InetSocketAddress rtcpTarget;
        volatile InetSocketAddress latchedRtp;
        volatile InetSocketAddress announced; // the SDP's address and port
        volatile InetSocketAddress latchedRtcp;
        volatile long lastRtpNanos;
        volatile long lastRtcpNanos;
        volatile boolean muted; // packets from this side are not forwarded (it holds the other)
        volatile AutoCloseable music; // music played to this side
        volatile int payloadType = -1; // the codec this side receives, from the SDP answer
        long packets;
        long bytes;
        long rtcpPackets;
        long dropped;

        Leg(Side side, RtpNetwork.PortPair ports) {
            this.side = side;
            this.ports = ports;
        }

        void sendRtp(ByteBuffer packet) {
            InetSocketAddress t = rtpTarget;
            if (t != null) {
                ports.rtp().send(packet, t);
            }
        }
    }

    private final RtpNetwork network;
    private final String advertisedAddress;
    private final HoldMusic holdMusic;
    private final Recorders recorders;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    /** RTP packets forwarded from one side to the other, since start. */
    final java.util.concurrent.atomic.LongAdder forwarded = new java.util.concurrent.atomic.LongAdder();

    Relay(RtpNetwork network, String advertisedAddress, HoldMusic holdMusic, Recorders recorders) {
        this.network = network;
        this.advertisedAddress = advertisedAddress;
        this.holdMusic = holdMusic;
        this.recorders = recorders;
    }

    int activeCalls() {
        return calls.size();
    }

    Map<String, Call> calls() {
        return calls;
    }

    /** ng {@code offer}: SDP from the side tagged {@code fromTag}; returns the SDP for the other side. */
    String offer(String callId, String fromTag, String body, Flags flags) {
        Sdp sdp = Sdp.parse(body);
        Call call = calls.computeIfAbsent(callId, Call::new);
        synchronized (call) {
            if (call.deleted) {
                throw new IllegalStateException("call " + callId + " has ended");
            }
            boolean fresh = call.sides[0] == null;
            try {
                return offer(call, fromTag, sdp, flags);
            } catch (RuntimeException e) {
                if (fresh) {
                    delete(callId, "offer failed: " + e.getMessage()); // no half-built call keeps ports
                }
                throw e;
            }
        }
    }

    private String offer(Call call, String fromTag, Sdp sdp, Flags flags) {
        String callId = call.callId;
        {
            call.lastSignal = Instant.now();
            call.lastPacketNanos = System.nanoTime(); // silence is counted from the last signal too
            Side from = call.side(fromTag);
            if (from == null) {
                if (call.sides[0] == null) {
                    call.flags = flags;
                    from = call.sides[0] = new Side(call, 0, fromTag);
                    call.sides[1] = new Side(call, 1, null);
                    if (flags.record() && recorders != null) {
                        call.recording = recorders.start(callId, flags);
                    }
                } else {
                    throw new IllegalArgumentException("tag " + fromTag + " is not a party of call " + callId);
                }
            }
            Side to = call.other(from);
            ensureLegs(call, sdp.media.size());
            from.holding = false;
            Sdp.Direction[] directions = new Sdp.Direction[sdp.media.size()];
            for (int i = 0; i < sdp.media.size(); i++) {
                Sdp.Media m = sdp.media.get(i);
                if (!m.active()) {
                    continue;
                }
                Leg mine = from.legs.get(i);
                Leg theirs = to.legs.get(i);
                learn(mine, sdp, m);
                boolean hold = sdp.holds(m) && "audio".equals(m.type) && "RTP/AVP".equals(m.proto);
                // music only in G.711 (what the player encodes): the codec the held side receives, else one offered
                int pt = theirs.payloadType == 0 || theirs.payloadType == 8 ? theirs.payloadType : g711(m);
                if (hold && call.flags.musicOnHold() && holdMusic != null && pt >= 0) {
                    if (theirs.music == null) {
                        theirs.music = holdMusic.play(theirs, pt, call.flags.tenantId());
                    }
                    mine.muted = true;
                    from.holding = true;
                    from.offeredInactive = m.direction(sdp) == Sdp.Direction.INACTIVE || "0.0.0.0".equals(m.address(sdp));
                    // the relay sends music: the held side is told it will receive (RFC 3264 §8.4)
                    directions[i] = Sdp.Direction.SENDONLY;
                } else {
                    mine.muted = false; // a hold without music passes through as the phones negotiate it
                    stopMusic(theirs);
                }
            }
            return sdp.rewrite(advertisedAddress, ports(to), directions, flags.replaceOrigin());
        }
    }

    /** ng {@code answer}: SDP from the side tagged {@code toTag}; returns the SDP for {@code fromTag}'s side. */
    String answer(String callId, String fromTag, String toTag, String body, Flags flags) {
        Sdp sdp = Sdp.parse(body);
        Call call = calls.get(callId);
        if (call == null) {
            throw new IllegalArgumentException("unknown call " + callId);
        }
        synchronized (call) {
            if (call.deleted) {
                throw new IllegalStateException("call " + callId + " has ended");
            }
            call.lastSignal = Instant.now();
            call.lastPacketNanos = System.nanoTime();
            Side offerer = call.side(fromTag);
            if (offerer == null) {
                throw new IllegalArgumentException("tag " + fromTag + " is not a party of call " + callId);
            }
            Side answerer = call.other(offerer);
            if (toTag != null && !toTag.equals(answerer.tag)) {
                if (answerer.tag != null) {
                    // another fork answers: it takes the place of the earlier one and is latched afresh
                    for (Leg l : answerer.legs) {
                        l.latchedRtp = null;
                        l.latchedRtcp = null;
                    }
                }
                answerer.tag = toTag;
            }
            ensureLegs(call, sdp.media.size());
            Sdp.Direction[] directions = new Sdp.Direction[sdp.media.size()];
            for (int i = 0; i < sdp.media.size(); i++) {
                Sdp.Media m = sdp.media.get(i);
                if (!m.active()) {
                    continue;
                }
                Leg mine = answerer.legs.get(i);
                learn(mine, sdp, m);
                // the offerer receives the answerer's first format (RFC 3264 §6.1), and vice versa
                int pt = m.firstPayloadType();
                offerer.legs.get(i).payloadType = pt;
                mine.payloadType = pt;
                if (offerer.holding && offerer.offeredInactive && "audio".equals(m.type)) {
                    directions[i] = Sdp.Direction.INACTIVE;
                }
            }
            return sdp.rewrite(advertisedAddress, ports(offerer), directions, flags.replaceOrigin());
        }
    }

    /** ng {@code delete}: releases the call's ports, stops its music and closes its recording. */
    boolean delete(String callId, String reason) {
        Call call = calls.remove(callId);
        if (call == null) {
            return false;
        }
        synchronized (call) {
            call.deleted = true;
            for (Side s : call.sides) {
                if (s != null) {
                    for (Leg l : s.legs) {
                        stopMusic(l);
                        network.close(l.ports);
                    }
                }
            }
            Recording r = call.recording;
            call.recording = null;
            if (r != null) {
                r.close(null);
            }
        }
        log.debug("Relay of {} deleted ({})", callId, reason);
        return true;
    }

    /** Seconds since the last packet of the call, or -1 for an unknown call. */
    long idleSeconds(String callId) {
        Call call = calls.get(callId);
        if (call == null) {
            return -1;
        }
        for (Side s : call.sides) {
            if (s != null && s.holding) {
                return 0; // on hold the held party may legitimately send nothing; the music flows
            }
        }
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - call.lastPacketNanos);
    }

    private void ensureLegs(Call call, int count) {
        for (Side s : call.sides) {
            while (s.legs.size() < count) {
                RtpNetwork.PortPair pair = network.openPair((port, packet, from, nanos) -> { }, (port, packet, from, nanos) -> { });
                if (pair == null) {
                    throw new IllegalStateException("no free RTP port in the configured range");
                }
                Leg leg = new Leg(s, pair);
                s.legs.add(leg);
                // set after the leg exists: the volatile write publishes it to the selector thread
                pair.rtp().receiver = (port, packet, from, nanos) -> rtp(leg, packet, from, nanos);
                pair.rtcp().receiver = (port, packet, from, nanos) -> rtcp(leg, packet, from, nanos);
            }
        }
        for (int i = 0; i < count; i++) {
            Leg a = call.sides[0].legs.get(i);
            Leg b = call.sides[1].legs.get(i);
            a.peer = b;
            b.peer = a;
        }
    }

    /**
     * Where this side's media goes, from its SDP, until its packets tell us better (latching). A new
     * address or port in a re-offer (a PBX moving its media) drops the latch.
     */
    private static void learn(Leg leg, Sdp sdp, Sdp.Media m) {
        String address = m.address(sdp);
        if ("0.0.0.0".equals(address) || "::".equals(address)) {
            return; // RFC 2543 hold: keep where we were sending
        }
        InetAddress a = Sdp.literal(address); // no DNS lookups driven by SDP on the signaling path
        InetSocketAddress announced = new InetSocketAddress(a, m.port);
        if (leg.announced != null && !leg.announced.equals(announced)) {
            leg.latchedRtp = null;
            leg.latchedRtcp = null;
        }
        leg.announced = announced;
        if (leg.latchedRtp == null) {
            leg.rtpTarget = announced;
        }
        if (leg.latchedRtcp == null) {
            leg.rtcpTarget = new InetSocketAddress(a, m.rtcpPort > 0 ? m.rtcpPort : m.port + 1);
        }
    }

    private static int g711(Sdp.Media m) {
        for (String f : m.formats) {
            if (f.equals("0") || f.equals("8")) {
                return Integer.parseInt(f);
            }
        }
        return -1;
    }

    private static int[] ports(Side s) {
        int[] p = new int[s.legs.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = s.legs.get(i).ports.rtp().port;
        }
        return p;
    }

    private static void stopMusic(Leg leg) {
        AutoCloseable m = leg.music;
        leg.music = null;
        if (m != null) {
            try {
                m.close();
            } catch (Exception e) {
                log.debug("Stopping music failed", e);
            }
        }
    }

    // ------------------------------------------------------------ packet path (selector threads)

    private void rtp(Leg leg, ByteBuffer packet, InetSocketAddress from, long nanos) {
        if (leg == null) {
            return;
        }
        InetSocketAddress latched = leg.latchedRtp;
        if (latched == null || !RtpStream.sameAddress(latched, from)) {
            InetSocketAddress announced = leg.announced;
            boolean fromSdpAddress = announced != null && RtpStream.sameAddress(announced, from);
            if (latched != null && !fromSdpAddress && nanos - leg.lastRtpNanos < RELATCH_AFTER_NANOS) {
                leg.dropped++;
                return; // a stranger while the real source is alive
            }
            leg.latchedRtp = from;
            leg.rtpTarget = from;
        }
        leg.lastRtpNanos = nanos;
        leg.side.call.lastPacketNanos = nanos;
        leg.packets++;
        leg.bytes += packet.remaining();
        Recording rec = leg.side.call.recording;
        if (rec != null) {
            record(rec, leg.side.index, packet, nanos);
        }
        Leg peer = leg.peer;
        if (peer == null || leg.muted || peer.music != null) {
            return;
        }
        forwarded.increment();
        peer.sendRtp(packet);
    }

    private static void record(Recording rec, int side, ByteBuffer packet, long nanos) {
        int off = RtpPacket.payloadOffset(packet);
        if (off < 0) {
            return;
        }
        int pt = RtpPacket.payloadType(packet);
        if (pt != 0 && pt != 8) {
            return;
        }
        int len = RtpPacket.payloadLength(packet, off);
        byte[] payload = new byte[len];
        packet.get(packet.position() + off, payload);
        rec.packet(side, nanos, pt, payload, 0, len);
    }

    private void rtcp(Leg leg, ByteBuffer packet, InetSocketAddress from, long nanos) {
        if (leg == null) {
            return;
        }
        InetSocketAddress latched = leg.latchedRtcp;
        if (latched == null || !RtpStream.sameAddress(latched, from)) {
            if (latched != null && nanos - leg.lastRtcpNanos < RELATCH_AFTER_NANOS) {
                return;
            }
            leg.latchedRtcp = from;
            leg.rtcpTarget = from;
        }
        leg.lastRtcpNanos = nanos;
        leg.side.call.lastPacketNanos = nanos; // RTCP alone (a muted phone) still shows the party is there
        leg.rtcpPackets++;
        Leg peer = leg.peer;
        InetSocketAddress t = peer == null ? null : peer.rtcpTarget;
        if (t != null && !leg.muted) {
            peer.ports.rtcp().send(packet, t);
        }
    }

    /** ng {@code query}: the call's parties, streams, addresses and counters, in rtpengine's shape. */
    Map<String, Object> query(String callId) {
        Call call = calls.get(callId);
        if (call == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("created", call.created.getEpochSecond());
        out.put("last signal", call.lastSignal.getEpochSecond());
        long nowNanos = System.nanoTime();
        long nowSeconds = Instant.now().getEpochSecond();
        out.put("last packet", nowSeconds - TimeUnit.NANOSECONDS.toSeconds(nowNanos - call.lastPacketNanos));
        Map<String, Object> tags = new LinkedHashMap<>();
        long packets = 0;
        long bytes = 0;
        long rtcp = 0;
        synchronized (call) {
            for (Side s : call.sides) {
                if (s == null) {
                    continue;
                }
                List<Object> medias = new ArrayList<>();
                for (int i = 0; i < s.legs.size(); i++) {
                    Leg l = s.legs.get(i);
                    packets += l.packets;
                    bytes += l.bytes;
                    rtcp += l.rtcpPackets;
                    Map<String, Object> stream = new LinkedHashMap<>();
                    stream.put("local port", (long) l.ports.rtp().port);
                    InetSocketAddress t = l.rtpTarget;
                    if (t != null) {
                        stream.put("endpoint", Map.of("family", t.getAddress() instanceof java.net.Inet6Address ? "IP6" : "IP4",
                                "address", t.getAddress().getHostAddress(), "port", (long) t.getPort()));
                    }
                    stream.put("latched", l.latchedRtp != null ? "yes" : "no");
                    stream.put("last packet", l.lastRtpNanos == 0 ? 0L
                            : nowSeconds - TimeUnit.NANOSECONDS.toSeconds(nowNanos - l.lastRtpNanos));
                    stream.put("stats", Map.of("packets", l.packets, "bytes", l.bytes, "errors", l.dropped));
                    medias.add(Map.of("index", (long) i + 1, "streams", List.of(stream)));
                }
                Map<String, Object> tag = new LinkedHashMap<>();
                tag.put("tag", s.tag == null ? "" : s.tag);
                tag.put("medias", medias);
                tags.put(s.tag == null ? "" : s.tag, tag);
            }
        }
        out.put("tags", tags);
        out.put("totals", Map.of("RTP", Map.of("packets", packets, "bytes", bytes, "errors", 0L),
                "RTCP", Map.of("packets", rtcp, "bytes", 0L, "errors", 0L)));
        return out;
    }
}
