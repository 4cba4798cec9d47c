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

    public static int payloadType(ByteBuffer rtp) {
        return rtp.get(rtp.position() + 1) & 0x7f;
    }

    /** Offset of the payload from the packet start (fixed header, CSRCs, extension), or -1 if malformed. */
    public static int payloadOffset(ByteBuffer rtp) {
        int p = rtp.position();
        int len = rtp.remaining();
        if (len < 12 || (rtp.get(p) & 0xc0) != 0x80) {
            return -1;
        }
        int b0 = rtp.get(p);
        int off = 12 + 4 * (b0 & 0x0f);
        if ((b0 & 0x10) != 0) { // header extension, RFC 3550 §5.3.1
            if (len < off + 4) {
                return -1;
            }
            off += 4 + 4 * (rtp.getShort(p + off + 2) & 0xffff);
        }
        int padding = (b0 & 0x20) != 0 ? rtp.get(p + len - 1) & 0xff : 0;
        return off + padding <= len ? off : -1;
    }

    public static int payloadLength(ByteBuffer rtp, int offset) {
        int p = rtp.position();
        int len = rtp.remaining();
        int padding = (rtp.get(p) & 0x20) != 0 ? rtp.get(p + len - 1) & 0xff : 0;
        return len - offset - padding;
    }

    public static boolean sameAddress(InetSocketAddress a, InetSocketAddress b) {
        return a.getPort() == b.getPort() && a.getAddress().equals(b.getAddress());
    }
}
