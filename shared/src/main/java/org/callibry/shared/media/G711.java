package org.callibry.shared.media;

/**
 * ITU-T G.711 companding of 16-bit linear PCM: PCMU (µ-law, RTP payload type 0) and PCMA (A-law,
 * payload type 8). The results are those of the ITU-T G.191 reference implementation: decoding is a
 * 256-entry table, encoding a table indexed by the bits of the sample that the law keeps (14 for
 * µ-law, 12 for A-law), so both are one array load per sample.
 */
public final class G711 {
    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];
    /** Indexed by {@code (sample >> 2) & 0x3FFF}: µ-law uses the 14 most significant bits. */
    private static final byte[] ULAW_ENCODE = new byte[1 << 14];
    /** Indexed by {@code (sample >> 4) & 0x0FFF}: A-law uses the 12 most significant bits. */
    private static final byte[] ALAW_ENCODE = new byte[1 << 12];

    static {
        for (int b = 0; b < 256; b++) {
            ULAW_DECODE[b] = (short) ulawExpand(b);
            ALAW_DECODE[b] = (short) alawExpand(b);
        }
        for (int i = 0; i < ULAW_ENCODE.length; i++) {
            ULAW_ENCODE[i] = (byte) ulawCompress((short) (i << 2));
        }
        for (int i = 0; i < ALAW_ENCODE.length; i++) {
            ALAW_ENCODE[i] = (byte) alawCompress((short) (i << 4));
        }
    }

    private G711() {
    }

    /** One µ-law byte as a linear sample. */
    public static short ulawToLinear(byte ulaw) {
        return ULAW_DECODE[ulaw & 0xFF];
    }

    /** One linear sample as a µ-law byte. */
    public static byte linearToUlaw(short sample) {
        return ULAW_ENCODE[(sample >> 2) & 0x3FFF];
    }

    /** One A-law byte as a linear sample. */
    public static short alawToLinear(byte alaw) {
        return ALAW_DECODE[alaw & 0xFF];
    }

    /** One linear sample as an A-law byte. */
    public static byte linearToAlaw(short sample) {
        return ALAW_ENCODE[(sample >> 4) & 0x0FFF];
    }

    /** Decodes {@code length} µ-law bytes from {@code in[inOffset]} into {@code out[outOffset]}. */
    public static void decodeUlaw(byte[] in, int inOffset, int length, short[] out, int outOffset) {
        check(in.length, inOffset, length, out.length, outOffset);
        for (int i = 0; i < length; i++) {
            out[outOffset + i] = ULAW_DECODE[in[inOffset + i] & 0xFF];
        }
    }

    /** Decodes {@code length} A-law bytes from {@code in[inOffset]} into {@code out[outOffset]}. */
    public static void decodeAlaw(byte[] in, int inOffset, int length, short[] out, int outOffset) {
        check(in.length, inOffset, length, out.length, outOffset);
        for (int i = 0; i < length; i++) {
            out[outOffset + i] = ALAW_DECODE[in[inOffset + i] & 0xFF];
        }
    }

    /** Encodes {@code length} samples from {@code in[inOffset]} as µ-law into {@code out[outOffset]}. */
    public static void encodeUlaw(short[] in, int inOffset, int length, byte[] out, int outOffset) {
        check(in.length, inOffset, length, out.length, outOffset);
        for (int i = 0; i < length; i++) {
            out[outOffset + i] = ULAW_ENCODE[(in[inOffset + i] >> 2) & 0x3FFF];
        }
    }

    /** Encodes {@code length} samples from {@code in[inOffset]} as A-law into {@code out[outOffset]}. */
    public static void encodeAlaw(short[] in, int inOffset, int length, byte[] out, int outOffset) {
        check(in.length, inOffset, length, out.length, outOffset);
        for (int i = 0; i < length; i++) {
            out[outOffset + i] = ALAW_ENCODE[(in[inOffset + i] >> 4) & 0x0FFF];
        }
    }

    /** All of {@code in} decoded: µ-law. */
    public static short[] decodeUlaw(byte[] in) {
        short[] out = new short[in.length];
        decodeUlaw(in, 0, in.length, out, 0);
        return out;
    }

    /** All of {@code in} decoded: A-law. */
    public static short[] decodeAlaw(byte[] in) {
        short[] out = new short[in.length];
        decodeAlaw(in, 0, in.length, out, 0);
        return out;
    }

    /** All of {@code in} encoded: µ-law. */
    public static byte[] encodeUlaw(short[] in) {
        byte[] out = new byte[in.length];
        encodeUlaw(in, 0, in.length, out, 0);
        return out;
    }

    /** All of {@code in} encoded: A-law. */
    public static byte[] encodeAlaw(short[] in) {
        byte[] out = new byte[in.length];
        encodeAlaw(in, 0, in.length, out, 0);
        return out;
    }

    private static void check(int inSize, int inOffset, int length, int outSize, int outOffset) {
        if (length < 0 || inOffset < 0 || outOffset < 0 || inOffset > inSize - length || outOffset > outSize - length) {
            throw new IndexOutOfBoundsException("range " + inOffset + "+" + length + " -> " + outOffset + " outside "
                    + inSize + " -> " + outSize);
        }
    }

    // The four functions below follow the G.191 reference: magnitudes of negative samples are taken as
    // the one's complement, so -1 and 0 fall into the same (smallest) quantisation step on either side.

    /** G.711 µ-law: 14-bit magnitude plus a bias of 33, segment = position of the leading one, inverted bits. */
    private static int ulawCompress(short x) {
        int magnitude = (x < 0 ? (~x) >> 2 : x >> 2) + 33;
        if (magnitude > 0x1FFF) {
            magnitude = 0x1FFF;
        }
        int segment = 1;
        for (int i = magnitude >> 6; i != 0; i >>= 1) {
            segment++;
        }
        int high = 8 - segment;
        int low = 0x0F - ((magnitude >> segment) & 0x0F);
        int out = (high << 4) | low;
        return x >= 0 ? out | 0x80 : out;
    }

    private static int ulawExpand(int b) {
        int sign = b < 0x80 ? -1 : 1;
        int inverted = ~b;
        int exponent = (inverted >> 4) & 0x07;
        int mantissa = inverted & 0x0F;
        int step = 4 << (exponent + 1);
        return sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33);
    }

    /** G.711 A-law: 12-bit magnitude, segment by halving, even bits inverted (XOR 0x55). */
    private static int alawCompress(short x) {
        int ix = x < 0 ? (~x) >> 4 : x >> 4;
        if (ix > 15) {
            int exponent = 1;
            while (ix > 16 + 15) {
                ix >>= 1;
                exponent++;
            }
            ix -= 16;
            ix += exponent << 4;
        }
        if (x >= 0) {
            ix |= 0x80;
        }
        return ix ^ 0x55;
    }

    private static int alawExpand(int b) {
        int ix = (b ^ 0x55) & 0x7F;
        int exponent = ix >> 4;
        int mantissa = ix & 0x0F;
        if (exponent > 0) {
            mantissa += 16;
        }
        mantissa = (mantissa << 4) + 0x08;
        if (exponent > 1) {
            mantissa <<= exponent - 1;
        }
        return b > 127 ? mantissa : -mantissa;
    }
}
