package org.callibry.softphone.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Scenarios (RFC 5389 §6, §15): the request bytes, the RFC 5769 §2.2 sample IPv4 response, an IPv6
 * round trip, an error response, and malformed input refused.
 */
class StunMessageTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    private static final byte[] ID = hex("b7e7a701 bc34d686 fa87dfae");

    @Test
    void encodesABindingRequest() {
        assertThat(StunMessage.bindingRequest(ID).encode()).isEqualTo(hex("0001 0000 2112a442 b7e7a701 bc34d686 fa87dfae"));
    }

    @Test
    void decodesTheRfc5769SampleIpv4Response() throws Exception {
        byte[] wire = hex("""
                0101 003c 2112a442 b7e7a701 bc34d686 fa87dfae
                8022 000b 74657374 20766563 746f7220
                0020 0008 0001a147 e112a643
                0008 0014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
                8028 0004 c07d4c96
                """);
        StunMessage m = StunMessage.decode(wire, 0, wire.length);
        assertThat(m.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
        assertThat(m.transactionId()).isEqualTo(ID);
        assertThat(m.mapped()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
    }

    @Test
    void roundTripsAnIpv6XorMappedAddress() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
        byte[] wire = StunMessage.bindingSuccess(ID, mapped).encode();
        assertThat(StunMessage.decode(wire, 0, wire.length).mapped()).isEqualTo(mapped);
    }

    @Test
    void readsTheErrorCode() {
        // ERROR-CODE 420 with reason "x"
        byte[] wire = hex("0111 000c 2112a442 b7e7a701 bc34d686 fa87dfae 0009 0005 00000414 78000000");
        StunMessage m = StunMessage.decode(wire, 0, wire.length);
        assertThat(m.errorCode()).isEqualTo(420);
        assertThat(m.mapped()).isNull();
    }

    @Test
    void refusesMalformedMessages() {
        byte[] rtp = hex("8000 0000 2112a442 b7e7a701 bc34d686 fa87dfae");
        assertThatThrownBy(() -> StunMessage.decode(rtp, 0, rtp.length)).hasMessageContaining("top bits");
        byte[] noCookie = hex("0101 0000 2112a443 b7e7a701 bc34d686 fa87dfae");
        assertThatThrownBy(() -> StunMessage.decode(noCookie, 0, noCookie.length)).hasMessageContaining("cookie");
        byte[] badLength = hex("0101 0004 2112a442 b7e7a701 bc34d686 fa87dfae");
        assertThatThrownBy(() -> StunMessage.decode(badLength, 0, badLength.length)).hasMessageContaining("length");
        byte[] overrun = hex("0101 0004 2112a442 b7e7a701 bc34d686 fa87dfae 0020 0008");
        assertThatThrownBy(() -> StunMessage.decode(overrun, 0, overrun.length)).hasMessageContaining("overruns");
        byte[] family = hex("0101 000c 2112a442 b7e7a701 bc34d686 fa87dfae 0020 0008 0003a147 e112a643");
        assertThatThrownBy(() -> StunMessage.decode(family, 0, family.length)).hasMessageContaining("family");
        assertThatThrownBy(() -> StunMessage.decode(new byte[8], 0, 8)).hasMessageContaining("shorter");
    }
}
