package org.callibry.softphone.audio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.callibry.shared.media.G711;
import org.callibry.shared.media.RtpPacket;

/**
 * The sending half of a session (RFC 3550 §5.1): each 20 ms frame G.711-encoded into an RTP packet
 * with the next sequence number and timestamp, the marker on the first packet of a talkspurt, queued
 * DTMF digits as RFC 4733 telephone-events in place of audio, and silence or nothing while muted.
 * Runs on the clock thread.
 */
final class RtpSender {
    private static final System.Logger LOG = System.getLogger(RtpSession.class.getName());

    private final DatagramSocket socket;
    private final int ssrc;
    private final SymmetricRtp peer;
    private final BooleanSupplier closed;
    private final DtmfSender dtmf = new DtmfSender();

    // clock thread only; random starts (RFC 3550 §5.1)
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private long timestamp = ThreadLocalRandom.current().nextLong(0x1_0000_0000L);
    private boolean talkspurt = true;

    private volatile long packetsSent;
    private volatile long octetsSent;

    RtpSender(DatagramSocket socket, int ssrc, SymmetricRtp peer, BooleanSupplier closed) {
        this.socket = socket;
        this.ssrc = ssrc;
        this.peer = peer;
        this.closed = closed;
    }

    /** Sends this tick's packet: a pending digit's event, else {@code frame} (silence or nothing while muted). */
    void send(RtpSession.Parameters p, short[] frame, boolean muted, RtpSession.MuteMode muteMode) {
        if (p.telephoneEventPayloadType() >= 0) {
            DtmfSender.Packet event = dtmf.next(timestamp);
            if (event != null) {
                send(new RtpPacket(event.marker(), p.telephoneEventPayloadType(), nextSequence(), event.timestamp(),
                        ssrc, event.payload()));
                return;
            }
        }
        if (muted) {
            if (muteMode == RtpSession.MuteMode.STOP_SENDING) {
                talkspurt = true;
                return;
            }
            frame = AudioFrame.silence();
        }
        byte[] payload = p.payloadType() == RtpSession.PCMA ? G711.encodeAlaw(frame) : G711.encodeUlaw(frame);
        boolean marker = talkspurt;
        talkspurt = false;
        send(new RtpPacket(marker, p.payloadType(), nextSequence(), timestamp, ssrc, payload));
    }

    /** Nothing is sent this tick (hold, receive-only): the next packet starts a talkspurt. */
    void pause() {
        talkspurt = true;
    }

    /** The RTP clock moves on by one frame, sent or not. */
    void advance() {
        timestamp = (timestamp + AudioFrame.SAMPLES) & 0xFFFF_FFFFL;
    }

    private int nextSequence() {
        int s = sequence;
        sequence = (sequence + 1) & 0xFFFF;
        return s;
    }

    private void send(RtpPacket packet) {
        byte[] bytes = packet.encode();
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, peer.remote()));
            packetsSent++;
            octetsSent += packet.payload().length;
        } catch (IOException e) {
            if (!closed.getAsBoolean()) {
                LOG.log(Level.DEBUG, "RTP send to {0} failed: {1}", peer.remote(), e.toString());
            }
        }
    }

    void enqueueDigit(char digit, int durationMillis) {
        dtmf.enqueue(digit, durationMillis);
    }

    boolean sendingDigits() {
        return dtmf.busy();
    }

    /** The RTP timestamp of the current frame (for the sender report). */
    long timestamp() {
        return timestamp;
    }

    long packetsSent() {
        return packetsSent;
    }

    long octetsSent() {
        return octetsSent;
    }
}
