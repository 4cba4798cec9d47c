package org.callibry.softphone.audio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import org.callibry.shared.media.Rtcp;

/**
 * A session's RTCP (RFC 3550 §6): our sender report with a report block on the stream we receive,
 * and what the far end's reports tell of ours ({@link RtpSession.RemoteReport}, with the round trip
 * from its LSR and DLSR).
 */
final class RtcpReports {
    private static final System.Logger LOG = System.getLogger(RtpSession.class.getName());

    private final DatagramSocket socket;
    private final int ssrc;
    private final String cname;
    private final ReceptionStatistics reception;
    private final SymmetricRtp peer;
    private final BooleanSupplier closed;

    private volatile long sent;
    private volatile long received;
    private volatile RtpSession.RemoteReport remoteReport;
    private volatile Rtcp.SenderReport lastSr;
    private volatile long lastSrNanos;

    /** Reports go out on {@code socket} (null: none go out) to the peer's RTCP address; {@code reception} is locked while read. */
    RtcpReports(DatagramSocket socket, int ssrc, ReceptionStatistics reception, SymmetricRtp peer, BooleanSupplier closed) {
        this.socket = socket;
        this.ssrc = ssrc;
        this.cname = "softphone-" + Integer.toHexString(ssrc) + "@callibry";
        this.reception = reception;
        this.peer = peer;
        this.closed = closed;
    }

    /** RFC 5761 §4: RTCP multiplexed on the RTP port has packet types 192-223 where RTP has M+PT. */
    static boolean multiplexed(DatagramPacket datagram) {
        int second = datagram.getLength() > 1 ? datagram.getData()[datagram.getOffset() + 1] & 0xFF : 0;
        return second >= 192 && second <= 223;
    }

    /** Sends our sender report: {@code timestamp} is the RTP clock now, the counters are our stream's. */
    void send(long timestamp, long packetsSent, long octetsSent) {
        Rtcp.ReportBlock block = null;
        synchronized (reception) {
            if (reception.started()) {
                Rtcp.SenderReport sr = lastSr;
                long lsr = sr != null && sr.ssrc() == reception.ssrc() ? sr.ntpMiddle32() : 0;
                // DLSR in units of 1/65536 s (§6.4.1)
                long dlsr = lsr == 0 ? 0 : (System.nanoTime() - lastSrNanos) * 65536 / 1_000_000_000L;
                block = new Rtcp.ReportBlock(reception.ssrc(), reception.fractionLost(), reception.lost(),
                        reception.highestSequence() & 0xFFFF_FFFFL, (long) reception.jitter(), lsr, dlsr);
            }
        }
        byte[] bytes = Rtcp.report(ssrc, System.currentTimeMillis(), timestamp, packetsSent, octetsSent, block, cname);
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, peer.remoteRtcp()));
            sent++;
        } catch (IOException e) {
            if (!closed.getAsBoolean()) {
                LOG.log(Level.DEBUG, "RTCP send failed: {0}", e.toString());
            }
        }
    }

    /** An RTCP packet from the far end (on the RTCP port or multiplexed on the RTP port). */
    void received(DatagramPacket datagram) {
        received++;
        peer.rtcpFrom((InetSocketAddress) datagram.getSocketAddress());
        Rtcp.Received r = Rtcp.parse(datagram.getData(), datagram.getOffset(), datagram.getLength(), ssrc);
        if (r.senderReport() != null) {
            lastSr = r.senderReport();
            lastSrNanos = System.nanoTime();
        }
        if (r.aboutUs() != null) {
            remoteReport = remoteReport(r.aboutUs());
        }
    }

    long sent() {
        return sent;
    }

    long receivedCount() {
        return received;
    }

    /** What the far end last reported about our stream, or null before its first report. */
    RtpSession.RemoteReport remoteReport() {
        return remoteReport;
    }

    /** §6.4.1: round trip = now − LSR − DLSR, all in 1/65536 s of the middle 32 bits of NTP time. */
    private static RtpSession.RemoteReport remoteReport(Rtcp.ReportBlock block) {
        long roundTrip = -1;
        if (block.lastSr() != 0) {
            long ntp = Rtcp.ntp(System.currentTimeMillis());
            long now = (ntp >>> 16) & 0xFFFF_FFFFL;
            long units = (now - block.lastSr() - block.delaySinceLastSr()) & 0xFFFF_FFFFL;
            roundTrip = units < 0x8000_0000L ? units * 1000 / 65536 : 0;
        }
        return new RtpSession.RemoteReport(block.fractionLost() / 256.0, block.cumulativeLost(),
                block.jitter() / (AudioFrame.SAMPLE_RATE / 1000.0), roundTrip);
    }
}
