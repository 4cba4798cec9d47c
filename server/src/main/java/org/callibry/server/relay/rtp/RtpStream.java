package org.callibry.server.relay.rtp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sending half of an RTP stream we originate (music on hold, prompts, echo): sequence number,
 * timestamp and SSRC per RFC 3550 §5.1, random initial values, 8 kHz clock.
 */
public final class RtpStream {
    private final ByteBuffer packet = ByteBuffer.allocate(12 + 1024);
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    private int sequence = ThreadLocalRandom.current().nextInt(1 << 16);
    private int timestamp = ThreadLocalRandom.current().nextInt();
    private boolean marker = true;

    /** Writes one packet with {@code payload[0..length)} and advances the clock by {@code samples}. */
    public ByteBuffer packet(int payloadType, byte[] payload, int length, int samples) {
        packet.clear();
        packet.put((byte) 0x80);
        packet.put((byte) ((marker ? 0x80 : 0) | (payloadType & 0x7f)));
        packet.putShort((short) sequence);
        packet.putInt(timestamp);
        packet.putInt(ssrc);
        packet.put(payload, 0, length);
        packet.flip();
        marker = false;
        sequence = (sequence + 1) & 0xffff;
        timestamp += samples;
        return packet;
    }

    /** After a pause (hold, silence) the next packet starts a talkspurt (RFC 3551 §4.1). */
    public void talkspurt() {
        marker = true;
    }

    public static boolean sameAddress(InetSocketAddress a, InetSocketAddress b) {
        return a.getPort() == b.getPort() && a.getAddress().equals(b.getAddress());
    }
}
