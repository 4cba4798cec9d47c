package org.callibry.softphone.audio;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import org.callibry.shared.media.G711;
import org.callibry.shared.media.RtpPacket;

/**
 * The receiving half of a session: an RTP packet of a negotiated payload type latches the peer's
 * address, counts in the reception statistics (RFC 3550 §A.8), and goes to the {@link JitterBuffer}
 * decoded, or to the {@link DtmfReceiver} when it is a telephone-event (RFC 4733). Runs on the RTP
 * receive thread.
 */
final class RtpReceiver {
    private final JitterBuffer jitterBuffer;
    private final ReceptionStatistics reception;
    private final DtmfReceiver dtmf;
    private final SymmetricRtp peer;
    private final long receiveEpoch = System.nanoTime();

    RtpReceiver(JitterBuffer jitterBuffer, ReceptionStatistics reception, DtmfReceiver dtmf, SymmetricRtp peer) {
        this.jitterBuffer = jitterBuffer;
        this.reception = reception;
        this.dtmf = dtmf;
        this.peer = peer;
    }

    /**
     * Takes an RTP datagram that arrived at {@code arrivalNanos}; audio is only buffered while
     * {@code playing}. False when its payload type was not negotiated (the packet is ignored).
     */
    boolean received(DatagramPacket datagram, long arrivalNanos, RtpSession.Parameters p, boolean playing) {
        RtpPacket packet = RtpPacket.decode(datagram.getData(), datagram.getOffset(), datagram.getLength());
        int pt = packet.payloadType();
        boolean event = p.telephoneEventPayloadType() >= 0 && pt == p.telephoneEventPayloadType();
        if (!event && pt != RtpSession.PCMU && pt != RtpSession.PCMA) {
            return false;
        }
        peer.latch((InetSocketAddress) datagram.getSocketAddress(), packet.ssrc());
        long arrival = (arrivalNanos - receiveEpoch) / (1_000_000_000L / AudioFrame.SAMPLE_RATE);
        synchronized (reception) {
            reception.update(packet.ssrc(), packet.sequence(), packet.timestamp(), arrival, !event);
        }
        if (event) {
            if (playing) {
                jitterBuffer.offerSilence(packet.sequence(), packet.ssrc());
            }
            dtmf.received(packet);
            return true;
        }
        if (!playing) {
            return true;
        }
        short[] samples = pt == RtpSession.PCMA ? G711.decodeAlaw(packet.payload()) : G711.decodeUlaw(packet.payload());
        jitterBuffer.offer(packet.sequence(), packet.timestamp(), packet.ssrc(), samples, arrivalNanos);
        return true;
    }
}
