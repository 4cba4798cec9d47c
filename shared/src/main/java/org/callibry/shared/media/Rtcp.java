package org.callibry.shared.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The little RTCP the softphone speaks (RFC 3550 §6): a compound packet of a sender report (or a
 * receiver report before anything was sent) with at most one report block, and an SDES CNAME; on
 * receipt a sender report's NTP time (for the LSR/DLSR of our next report block) and the far end's
 * report block about our stream.
 */
public final class Rtcp {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

    /** One report block (§6.4.1) about the source we receive. */
    public record ReportBlock(int ssrc, int fractionLost, long cumulativeLost, long highestSequence, long jitter,
                       long lastSr, long delaySinceLastSr) {
    }

    /** The sender information of an SR: what a receiver needs for LSR. */
    public record SenderReport(int ssrc, long ntpMiddle32) {
    }

    /** What one compound packet told us: the sender's SR time (or null) and its report block about {@code ssrc} (or null). */
    public record Received(SenderReport senderReport, ReportBlock aboutUs) {
    }

    private Rtcp() {
    }

    /** §6.4.1 SR (§6.4.2 RR when {@code packetsSent} is 0) followed by §6.5 SDES with the CNAME. */
    public static byte[] report(int ssrc, long wallMillis, long rtpTimestamp, long packetsSent, long octetsSent,
                         ReportBlock block, String cname) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        int count = block == null ? 0 : 1;
        boolean sender = packetsSent > 0;
        int words = (sender ? 6 : 1) + 6 * count; // length: 32-bit words minus one
        out.write(0x80 | count);
        out.write(sender ? SR : RR);
        write16(out, words);
        write32(out, ssrc);
        if (sender) {
            long ntp = ntp(wallMillis);
            write32(out, ntp >>> 32);
            write32(out, ntp);
            write32(out, rtpTimestamp);
            write32(out, packetsSent);
            write32(out, octetsSent);
        }
        if (block != null) {
            write32(out, block.ssrc());
            out.write(block.fractionLost());
            // cumulative lost is a 24-bit signed count, clamped (§6.4.1)
            long lost = Math.min(0x7FFFFF, block.cumulativeLost());
            out.write((int) (lost >> 16));
            write16(out, (int) lost);
            write32(out, block.highestSequence());
            write32(out, block.jitter());
            write32(out, block.lastSr());
            write32(out, block.delaySinceLastSr());
        }
        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        int nameLength = Math.min(255, name.length);
        int chunk = 4 + 2 + nameLength + 1; // SSRC, type+length, text, at least one null octet
        int padded = (chunk + 3) / 4 * 4;
        out.write(0x81);
        out.write(SDES);
        write16(out, padded / 4);
        write32(out, ssrc);
        out.write(1); // CNAME
        out.write(nameLength);
        out.write(name, 0, nameLength);
        for (int i = 4 + 2 + nameLength; i < padded; i++) {
            out.write(0);
        }
        return out.toByteArray();
    }

    /**
     * Walks a compound packet (§6.1): keeps the first SR's NTP time and the first report block (in
     * an SR or RR) whose SSRC is {@code ourSsrc}; stops at anything that is not RTCP version 2.
     */
    public static Received parse(byte[] buf, int offset, int length, int ourSsrc) {
        SenderReport sr = null;
        ReportBlock block = null;
        int at = offset;
        int end = offset + length;
        while (at + 4 <= end) {
            if ((buf[at] & 0xC0) != 0x80) {
                break;
            }
            int count = buf[at] & 0x1F;
            int type = buf[at + 1] & 0xFF;
            int size = 4 * (((buf[at + 2] & 0xFF) << 8 | (buf[at + 3] & 0xFF)) + 1);
            if (at + size > end) {
                break;
            }
            int blocks = -1;
            if (type == SR && size >= 28) {
                if (sr == null) {
                    long msw = read32(buf, at + 8);
                    long lsw = read32(buf, at + 12);
                    sr = new SenderReport((int) read32(buf, at + 4), ((msw & 0xFFFF) << 16) | (lsw >>> 16));
                }
                blocks = at + 28;
            } else if (type == RR && size >= 8) {
                blocks = at + 8;
            }
            for (int i = 0; blocks >= 0 && i < count && blocks + 24 * (i + 1) <= at + size; i++) {
                int b = blocks + 24 * i;
                if (block == null && (int) read32(buf, b) == ourSsrc) {
                    long lost = read32(buf, b + 4) & 0xFFFFFF;
                    if ((lost & 0x800000) != 0) {
                        lost -= 0x1000000;
                    }
                    block = new ReportBlock(ourSsrc, buf[b + 4] & 0xFF, lost, read32(buf, b + 8), read32(buf, b + 12),
                            read32(buf, b + 16), read32(buf, b + 20));
                }
            }
            at += size;
        }
        return new Received(sr, block);
    }

    /** §4: NTP time, seconds since 1900 in the upper 32 bits, the fraction in the lower. */
    public static long ntp(long wallMillis) {
        long seconds = wallMillis / 1000 + NTP_EPOCH_OFFSET;
        long fraction = (wallMillis % 1000) * 0x1_0000_0000L / 1000;
        return (seconds << 32) | fraction;
    }

    public static long read32(byte[] b, int i) {
        return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    private static void write16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    private static void write32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >> 24));
        out.write((int) (v >> 16));
        out.write((int) (v >> 8));
        out.write((int) v);
    }
}
