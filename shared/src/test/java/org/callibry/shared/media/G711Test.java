package org.callibry.shared.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * G.711 against known code points of the ITU-T G.191 reference: silence, full scale, segment edges,
 * every code word round-tripping, the one's complement handling of -1, bulk ranges.
 */
class G711Test {

    @Test
    void ulawCodePointsOfTheReference() {
        assertThat(G711.linearToUlaw((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(G711.linearToUlaw((short) -1)).isEqualTo((byte) 0x7F);
        assertThat(G711.linearToUlaw(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
        assertThat(G711.linearToUlaw(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
        assertThat(G711.ulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.ulawToLinear((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.ulawToLinear((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.ulawToLinear((byte) 0x7F)).isEqualTo((short) 0);
        // first segment: steps of 8 (in 16-bit units) around zero
        assertThat(G711.ulawToLinear((byte) 0xFE)).isEqualTo((short) 8);
        assertThat(G711.ulawToLinear((byte) 0xF0)).isEqualTo((short) 120);
        // second segment: steps of 16
        assertThat(G711.ulawToLinear((byte) 0xEF)).isEqualTo((short) 132);
        assertThat(G711.ulawToLinear((byte) 0xDF)).isEqualTo((short) 396);
    }

    @Test
    void alawCodePointsOfTheReference() {
        assertThat(G711.linearToAlaw((short) 0)).isEqualTo((byte) 0xD5);
        assertThat(G711.linearToAlaw((short) -1)).isEqualTo((byte) 0x55);
        assertThat(G711.linearToAlaw(Short.MAX_VALUE)).isEqualTo((byte) 0xAA);
        assertThat(G711.linearToAlaw(Short.MIN_VALUE)).isEqualTo((byte) 0x2A);
        assertThat(G711.alawToLinear((byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.alawToLinear((byte) 0x2A)).isEqualTo((short) -32256);
        assertThat(G711.alawToLinear((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.alawToLinear((byte) 0x55)).isEqualTo((short) -8);
    }

    @Test
    void everyCodeWordSurvivesDecodeThenEncode() {
        for (int b = 0; b < 256; b++) {
            assertThat(G711.linearToAlaw(G711.alawToLinear((byte) b))).as("A-law %02x", b).isEqualTo((byte) b);
            if (b != 0x7F) {
                // µ-law has two zeros; 0x7F (-0) decodes to 0, which encodes as +0 (0xFF)
                assertThat(G711.linearToUlaw(G711.ulawToLinear((byte) b))).as("µ-law %02x", b).isEqualTo((byte) b);
            }
        }
    }

    @Test
    void quantisationErrorStaysWithinHalfAStep() {
        for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x += 7) {
            short s = (short) x;
            int errU = Math.abs(G711.ulawToLinear(G711.linearToUlaw(s)) - x);
            int errA = Math.abs(G711.alawToLinear(G711.linearToAlaw(s)) - x);
            // the largest step is 1024 (µ-law) or 1024 (A-law) at the top segment; both clip above ~32.1k
            int allowed = Math.abs(x) > 32_000 ? 1100 : Math.max(16, Math.abs(x) / 16 + 16);
            assertThat(errU).as("µ-law %d", x).isLessThanOrEqualTo(allowed);
            assertThat(errA).as("A-law %d", x).isLessThanOrEqualTo(allowed);
        }
    }

    @Test
    void encodingIsMonotonic() {
        int lastU = G711.ulawToLinear(G711.linearToUlaw(Short.MIN_VALUE));
        int lastA = G711.alawToLinear(G711.linearToAlaw(Short.MIN_VALUE));
        for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
            int u = G711.ulawToLinear(G711.linearToUlaw((short) x));
            int a = G711.alawToLinear(G711.linearToAlaw((short) x));
            assertThat(u).isGreaterThanOrEqualTo(lastU);
            assertThat(a).isGreaterThanOrEqualTo(lastA);
            lastU = u;
            lastA = a;
        }
    }

    @Test
    void bulkMethodsWorkOnRanges() {
        short[] pcm = {0, 1000, -1000, 32767, -32768, 5};
        byte[] u = new byte[8];
        G711.encodeUlaw(pcm, 1, 4, u, 2);
        assertThat(u[0]).isZero();
        assertThat(u[2]).isEqualTo(G711.linearToUlaw((short) 1000));
        assertThat(u[5]).isEqualTo(G711.linearToUlaw((short) -32768));
        short[] back = new short[4];
        G711.decodeUlaw(u, 2, 4, back, 0);
        assertThat(back[2]).isEqualTo((short) 32124);
        assertThat(G711.decodeAlaw(G711.encodeAlaw(pcm))).hasSize(6).startsWith((short) 8);
        assertThat(G711.decodeUlaw(G711.encodeUlaw(pcm))).hasSize(6).startsWith((short) 0);
        assertThatThrownBy(() -> G711.encodeAlaw(pcm, 4, 3, u, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> G711.decodeAlaw(u, 0, 8, back, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
