package org.callibry.shared.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Scenarios (RFC 3550 §5.1): header bytes, round trip, CSRCs, extension and padding skipped, malformed
 * input; the same header read in place from a buffer (the server's hot path) and its malformed cases.
 */
class RtpPacketTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void encodesTheFixedHeader() {
        RtpPacket p = new RtpPacket(true, 8, 0xABCD, 0x01020304L, 0xCAFEBABE, new byte[] {1, 2});
        assertThat(p.encode()).isEqualTo(hex("80 88 ABCD 01020304 CAFEBABE 0102"));
    }

    @Test
    void decodesWhatItEncodes() {
        RtpPacket p = new RtpPacket(false, 101, 65535, 0xFFFFFFFFL, -1, new byte[] {5, 0, 0, (byte) 160});
        byte[] wire = p.encode();
        assertThat(RtpPacket.decode(wire, 0, wire.length)).isEqualTo(p);
    }

    @Test
    void skipsCsrcsExtensionAndPadding() {
        // V=2 P=1 X=1 CC=2, M=0 PT=0, seq 1, ts 2, ssrc 3, two CSRCs, extension of one word, payload AA BB, 2 bytes padding
        byte[] wire = hex("B2 00 0001 00000002 00000003 00000010 00000011 BEDE0001 12345678 AABB 0002");
        RtpPacket p = RtpPacket.decode(wire, 0, wire.length);
        assertThat(p.payload()).containsExactly(0xAA, 0xBB);
        assertThat(p.sequence()).isEqualTo(1);
        assertThat(p.timestamp()).isEqualTo(2);
        assertThat(p.ssrc()).isEqualTo(3);
    }

    @Test
    void refusesMalformedPackets() {
        assertThatThrownBy(() -> RtpPacket.decode(hex("80 00 0001"), 0, 4)).isInstanceOf(IllegalArgumentException.class);
        byte[] v1 = hex("40 00 0001 00000002 00000003");
        assertThatThrownBy(() -> RtpPacket.decode(v1, 0, v1.length)).hasMessageContaining("version");
        byte[] csrc = hex("8F 00 0001 00000002 00000003 00000004");
        assertThatThrownBy(() -> RtpPacket.decode(csrc, 0, csrc.length)).hasMessageContaining("CSRC");
        byte[] pad = hex("A0 00 0001 00000002 00000003 AA 09");
        assertThatThrownBy(() -> RtpPacket.decode(pad, 0, pad.length)).hasMessageContaining("padding");
        byte[] ext = hex("90 00 0001 00000002 00000003 BEDE0005 00000000");
        assertThatThrownBy(() -> RtpPacket.decode(ext, 0, ext.length)).hasMessageContaining("extension");
    }

    @Test
    void readsTheSameHeaderInPlaceFromABuffer() {
        byte[] wire = hex("B2 00 0001 00000002 00000003 00000010 00000011 BEDE0001 12345678 AABB 0002");
        ByteBuffer b = ByteBuffer.allocate(wire.length + 5).position(5).put(wire).position(5); // a packet not at index 0
        int off = RtpPacket.payloadOffset(b);
        assertThat(off).as("fixed header, two CSRCs, a one-word extension").isEqualTo(12 + 8 + 8);
        assertThat(RtpPacket.payloadType(b)).isZero();
        assertThat(RtpPacket.payloadLength(b, off)).as("padding removed").isEqualTo(2);
        assertThat(b.get(b.position() + off)).isEqualTo((byte) 0xAA);
        assertThat(RtpPacket.decode(wire, 0, wire.length).payload()).hasSize(RtpPacket.payloadLength(b, off));
    }

    @Test
    void aMalformedPacketHasNoPayloadOffset() {
        assertThat(RtpPacket.payloadOffset(ByteBuffer.wrap(hex("80 00 0001")))).as("short").isEqualTo(-1);
        assertThat(RtpPacket.payloadOffset(ByteBuffer.wrap(hex("40 00 0001 00000002 00000003")))).as("version 1").isEqualTo(-1);
        assertThat(RtpPacket.payloadOffset(ByteBuffer.wrap(hex("A0 00 0001 00000002 00000003 AA 09")))).as("padding").isEqualTo(-1);
        assertThat(RtpPacket.payloadOffset(ByteBuffer.wrap(hex("90 00 0001 00000002 00000003 BE")))).as("extension").isEqualTo(-1);
    }
}
