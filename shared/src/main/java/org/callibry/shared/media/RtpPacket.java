package org.callibry.shared.media;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One RTP packet (RFC 3550 §5.1): the fixed header, CSRCs and header extension skipped on decode,
 * padding removed. The payload is a copy. For a hot path that must not copy (the server's relay and
 * media server), {@link #payloadType(ByteBuffer)}, {@link #payloadOffset(ByteBuffer)} and
 * {@link #payloadLength(ByteBuffer, int)} read the same header in place.
 *
 * @param marker      the M bit: first packet of a talkspurt (RFC 3551 §4.1) or of a DTMF event (RFC 4733 §2.5.1.1)
 * @param payloadType 0-127
 * @param sequence    0-65535
 * @param timestamp   unsigned 32-bit, held in a long
 * @param ssrc        the synchronization source
 */
public record RtpPacket(boolean marker, int payloadType, int sequence, long timestamp, int ssrc, byte[] payload) {
    public static final int HEADER_LENGTH = 12;
    public static final int VERSION = 2;

    public RtpPacket {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0-127: " + payloadType);
        }
        if (sequence < 0 || sequence > 0xFFFF) {
            throw new IllegalArgumentException("sequence must be 0-65535: " + sequence);
        }
        if (timestamp < 0 || timestamp > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("timestamp must be unsigned 32-bit: " + timestamp);
        }
    }

    /** The packet on the wire: the 12-byte header (no CSRC, no extension, no padding) and the payload. */
    public byte[] encode() {
        byte[] out = new byte[HEADER_LENGTH + payload.length];
        out[0] = (byte) (VERSION << 6);
        out[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        out[2] = (byte) (sequence >> 8);
        out[3] = (byte) sequence;
        out[4] = (byte) (timestamp >> 24);
        out[5] = (byte) (timestamp >> 16);
        out[6] = (byte) (timestamp >> 8);
        out[7] = (byte) timestamp;
        out[8] = (byte) (ssrc >> 24);
        out[9] = (byte) (ssrc >> 16);
        out[10] = (byte) (ssrc >> 8);
        out[11] = (byte) ssrc;
        System.arraycopy(payload, 0, out, HEADER_LENGTH, payload.length);
        return out;
    }

    /**
     * Decodes {@code buf[offset..offset+length)}; anything that is not RTP version 2 or whose CSRC
     * list, extension or padding overrun the datagram is refused with an {@link IllegalArgumentException}.
     */
    public static RtpPacket decode(byte[] buf, int offset, int length) {
        if (length < HEADER_LENGTH) {
            throw new IllegalArgumentException("shorter than an RTP header: " + length);
        }
        int b0 = buf[offset] & 0xFF;
        if (b0 >> 6 != VERSION) {
            throw new IllegalArgumentException("not RTP version 2");
        }
        boolean padding = (b0 & 0x20) != 0;
        boolean extension = (b0 & 0x10) != 0;
        int csrcCount = b0 & 0x0F;
        int b1 = buf[offset + 1] & 0xFF;
        int sequence = ((buf[offset + 2] & 0xFF) << 8) | (buf[offset + 3] & 0xFF);
        long timestamp = ((long) (buf[offset + 4] & 0xFF) << 24) | ((buf[offset + 5] & 0xFF) << 16)
                | ((buf[offset + 6] & 0xFF) << 8) | (buf[offset + 7] & 0xFF);
        int ssrc = ((buf[offset + 8] & 0xFF) << 24) | ((buf[offset + 9] & 0xFF) << 16)
                | ((buf[offset + 10] & 0xFF) << 8) | (buf[offset + 11] & 0xFF);
        int start = HEADER_LENGTH + 4 * csrcCount;
        if (start > length) {
            throw new IllegalArgumentException("CSRC list beyond the packet");
        }
        // RFC 3550 §5.3.1: a 4-byte extension header whose length counts 32-bit words after it
        if (extension) {
            if (start + 4 > length) {
                throw new IllegalArgumentException("header extension beyond the packet");
            }
            int words = ((buf[offset + start + 2] & 0xFF) << 8) | (buf[offset + start + 3] & 0xFF);
            start += 4 + 4 * words;
            if (start > length) {
                throw new IllegalArgumentException("header extension beyond the packet");
            }
        }
        int end = length;
        // RFC 3550 §5.1: the last octet of the padding counts the padding octets, itself included
        if (padding) {
            int pad = buf[offset + length - 1] & 0xFF;
            if (pad == 0 || start + pad > length) {
                throw new IllegalArgumentException("bad padding length " + pad);
            }
            end -= pad;
        }
        return new RtpPacket((b1 & 0x80) != 0, b1 & 0x7F, sequence, timestamp, ssrc,
                Arrays.copyOfRange(buf, offset + start, offset + end));
    }

    /** The payload type of the packet at {@code rtp}'s position (in place; no checks). */
    public static int payloadType(ByteBuffer rtp) {
        return rtp.get(rtp.position() + 1) & 0x7f;
    }

    /**
     * Where the payload of the packet between {@code rtp}'s position and limit starts, counted from its
     * first byte (fixed header, CSRCs, extension), or -1 when it is not RTP version 2 or its CSRCs,
     * extension or padding overrun it. In place, no copy.
     */
    public static int payloadOffset(ByteBuffer rtp) {
        int p = rtp.position();
        int len = rtp.remaining();
        if (len < HEADER_LENGTH || (rtp.get(p) & 0xc0) != VERSION << 6) {
            return -1;
        }
        int b0 = rtp.get(p);
        int off = HEADER_LENGTH + 4 * (b0 & 0x0f);
        if ((b0 & 0x10) != 0) { // RFC 3550 §5.3.1: a 4-byte extension header whose length counts 32-bit words after it
            if (len < off + 4) {
                return -1;
            }
            off += 4 + 4 * (rtp.getShort(p + off + 2) & 0xffff);
        }
        // RFC 3550 §5.1: the last octet of the padding counts the padding octets, itself included
        int padding = (b0 & 0x20) != 0 ? rtp.get(p + len - 1) & 0xff : 0;
        return off + padding <= len ? off : -1;
    }

    /** The payload's length, padding removed, for a packet whose payload starts at {@code offset}. */
    public static int payloadLength(ByteBuffer rtp, int offset) {
        int p = rtp.position();
        int len = rtp.remaining();
        int padding = (rtp.get(p) & 0x20) != 0 ? rtp.get(p + len - 1) & 0xff : 0;
        return len - offset - padding;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpPacket p && marker == p.marker && payloadType == p.payloadType
                && sequence == p.sequence && timestamp == p.timestamp && ssrc == p.ssrc
                && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + sequence;
    }

    @Override
    public String toString() {
        return "RtpPacket[pt=" + payloadType + ", seq=" + sequence + ", ts=" + timestamp + ", ssrc="
                + Integer.toHexString(ssrc) + (marker ? ", M" : "") + ", " + payload.length + " bytes]";
    }
}
