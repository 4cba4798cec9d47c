package org.callibry.shared.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** RFC 4733 §2.3 payloads on wire bytes: fields, E and R bits, digits, short payloads refused. */
class TelephoneEventTest {

    @Test
    void encodesTheFourBytesOfSection2_3() {
        // digit 5, end bit, volume 10, duration 800 (100 ms at 8 kHz)
        assertThat(TelephoneEvent.ofDigit('5', true, 10, 800).encode())
                .containsExactly(0x05, 0x8A, 0x03, 0x20);
        assertThat(new TelephoneEvent(11, false, 63, 0xFFFF).encode())
                .containsExactly(0x0B, 0x3F, 0xFF, 0xFF);
    }

    @Test
    void decodesAndIgnoresTheReservedBit() {
        byte[] wire = {0, 0, (byte) 0x0A, (byte) 0xC7, 0x01, 0x40};
        TelephoneEvent e = TelephoneEvent.decode(wire, 2, 4);
        assertThat(e).isEqualTo(new TelephoneEvent(10, true, 7, 320));
        assertThat(e.digit()).isEqualTo('*');
        assertThat(e.isDtmf()).isTrue();
    }

    @Test
    void mapsEveryDigit() {
        String digits = "0123456789*#ABCD";
        for (int i = 0; i < 16; i++) {
            assertThat(TelephoneEvent.digit(i)).isEqualTo(digits.charAt(i));
            assertThat(TelephoneEvent.code(digits.charAt(i))).isEqualTo(i);
        }
        assertThat(TelephoneEvent.code('d')).isEqualTo(15);
        assertThat(new TelephoneEvent(32, false, 0, 0).isDtmf()).isFalse();
        assertThatThrownBy(() -> TelephoneEvent.code('x')).hasMessageContaining("'x'");
        assertThatThrownBy(() -> TelephoneEvent.digit(16)).hasMessageContaining("16");
    }

    @Test
    void refusesShortPayloadsAndOutOfRangeFields() {
        assertThatThrownBy(() -> TelephoneEvent.decode(new byte[3], 0, 3)).hasMessageContaining("4 bytes");
        assertThatThrownBy(() -> TelephoneEvent.decode(new byte[5], 2, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TelephoneEvent(1, false, 64, 0)).hasMessageContaining("volume");
        assertThatThrownBy(() -> new TelephoneEvent(1, false, 0, 65536)).hasMessageContaining("duration");
    }
}
