package org.callibry.server.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.callibry.shared.stun.StunMessage;
import org.callibry.shared.stun.StunSamples;
import org.junit.jupiter.api.Test;

/**
 * How the STUN server answers one datagram (no socket). Scenarios: Binding request from IPv4 and IPv6
 * sources gets XOR-MAPPED-ADDRESS and SOFTWARE; FINGERPRINT only when the request had one; an RFC 3489
 * request gets MAPPED-ADDRESS and its 128-bit transaction ID back; unknown comprehension-required
 * attributes get 420 listing each once (optional unknown ones are ignored; CHANGE-REQUEST without
 * flags is a plain Binding); a malformed request with the magic cookie gets 400; silence for non-STUN
 * data, responses, indications, bad FINGERPRINTs and malformed messages without the cookie.
 */
class StunServerTest {
    private static final byte[] TID = StunSamples.hex("0102030405060708090a0b0c");
    private final StunServer server = new StunServer(new StunProperties(0, "127.0.0.1", "Callibry", 20, 40),
            new SimpleMeterRegistry());

    private static InetSocketAddress addr(String host, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private StunMessage answer(byte[] request, InetSocketAddress source) throws Exception {
        byte[] response = server.respond(Arrays.copyOf(request, request.length + 10), request.length, source, "Callibry");
        return response == null ? null : StunMessage.decode(response, 0, response.length);
    }

    private static byte[] request(int type, boolean fingerprint, StunMessage.Attribute... attributes) {
        return new StunMessage(type, StunMessage.MAGIC_COOKIE, TID, List.of(attributes)).encode(fingerprint);
    }

    @Test
    void answersABindingRequestWithTheSourceAddress() throws Exception {
        InetSocketAddress source = addr("198.51.100.20", 40000);
        StunMessage r = answer(request(StunMessage.BINDING_REQUEST, false), source);
        assertThat(r.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
        assertThat(r.transactionId()).isEqualTo(TID);
        assertThat(r.xorMappedAddress(r.attribute(StunMessage.XOR_MAPPED_ADDRESS).value())).isEqualTo(source);
        assertThat(r.attribute(StunMessage.MAPPED_ADDRESS)).isNull();
        assertThat(new String(r.attribute(StunMessage.SOFTWARE).value())).isEqualTo("Callibry");
        assertThat(r.fingerprinted()).isFalse();
    }

    @Test
    void answersIpv6SourcesAndEchoesTheFingerprint() throws Exception {
        InetSocketAddress source = addr("2001:db8::5", 5062);
        StunMessage r = answer(request(StunMessage.BINDING_REQUEST, true), source);
        assertThat(r.xorMappedAddress(r.attribute(StunMessage.XOR_MAPPED_ADDRESS).value())).isEqualTo(source);
        assertThat(r.attribute(StunMessage.XOR_MAPPED_ADDRESS).value()[1]).isEqualTo((byte) 2);
        assertThat(r.fingerprinted()).isTrue();
    }

    @Test
    void answersTheRfc5769SampleRequest() throws Exception {
        InetSocketAddress source = addr("192.0.2.1", 32853);
        StunMessage r = answer(StunSamples.SAMPLE_REQUEST, source);
        assertThat(r.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
        assertThat(r.xorMappedAddress(r.attribute(StunMessage.XOR_MAPPED_ADDRESS).value())).isEqualTo(source);
        // the same XOR'd bytes as the RFC 5769 §2.2 sample response
        assertThat(r.attribute(StunMessage.XOR_MAPPED_ADDRESS).value()).isEqualTo(StunSamples.hex("0001 a147 e112a643"));
        assertThat(r.fingerprinted()).isTrue();
    }

    @Test
    void answersAnRfc3489ClientWithMappedAddress() throws Exception {
        byte[] tid16 = StunSamples.hex("00112233 445566778899aabbccddeeff");
        byte[] req = ByteBuffer.allocate(20).putShort((short) 1).putShort((short) 0).put(tid16).array();
        InetSocketAddress source = addr("203.0.113.9", 3478);
        byte[] raw = server.respond(req, req.length, source, "Callibry");
        StunMessage r = StunMessage.decode(raw, 0, raw.length);
        assertThat(Arrays.copyOfRange(raw, 4, 20)).isEqualTo(tid16);
        assertThat(r.rfc5389()).isFalse();
        assertThat(StunMessage.mappedAddress(r.attribute(StunMessage.MAPPED_ADDRESS).value())).isEqualTo(source);
        assertThat(r.attribute(StunMessage.XOR_MAPPED_ADDRESS)).isNull();
    }

    @Test
    void refusesUnknownComprehensionRequiredAttributesWith420() throws Exception {
        StunMessage r = answer(request(StunMessage.BINDING_REQUEST, true,
                new StunMessage.Attribute(0x7f01, new byte[] {1}),
                new StunMessage.Attribute(0x8fff, new byte[4]), // optional: ignored
                new StunMessage.Attribute(0x0002, new byte[8]), // RESPONSE-ADDRESS of RFC 3489: not supported
                new StunMessage.Attribute(0x7f01, new byte[0])), addr("192.0.2.1", 1));
        assertThat(r.type()).isEqualTo(StunMessage.BINDING_ERROR);
        assertThat(r.messageClass()).isEqualTo(StunMessage.ERROR);
        assertThat(StunMessage.errorCode(r.attribute(StunMessage.ERROR_CODE).value())).isEqualTo(420);
        assertThat(r.attribute(StunMessage.UNKNOWN_ATTRIBUTES).value()).isEqualTo(StunSamples.hex("7f01 0002"));
        assertThat(r.transactionId()).isEqualTo(TID);
        assertThat(r.fingerprinted()).isTrue();
    }

    @Test
    void treatsAChangeRequestWithoutFlagsAsAPlainBinding() throws Exception {
        StunMessage plain = answer(request(StunMessage.BINDING_REQUEST, false,
                new StunMessage.Attribute(StunMessage.CHANGE_REQUEST, new byte[4])), addr("192.0.2.1", 1));
        assertThat(plain.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
        StunMessage change = answer(request(StunMessage.BINDING_REQUEST, false,
                new StunMessage.Attribute(StunMessage.CHANGE_REQUEST, new byte[] {0, 0, 0, 6})), addr("192.0.2.1", 1));
        assertThat(StunMessage.errorCode(change.attribute(StunMessage.ERROR_CODE).value())).isEqualTo(420);
    }

    @Test
    void answersMalformedRequestsWithTheMagicCookieWith400() throws Exception {
        byte[] bad = StunSamples.hex("0001 0006 2112a442 0102030405060708090a0b0c 8022 0002 6162");
        StunMessage r = answer(bad, addr("192.0.2.1", 1));
        assertThat(r.type()).isEqualTo(StunMessage.BINDING_ERROR);
        assertThat(StunMessage.errorCode(r.attribute(StunMessage.ERROR_CODE).value())).isEqualTo(400);
        assertThat(r.transactionId()).isEqualTo(TID);
        byte[] overrun = StunSamples.hex("0001 0008 2112a442 0102030405060708090a0b0c 0006 0010 61626364");
        assertThat(StunMessage.errorCode(answer(overrun, addr("192.0.2.1", 1)).attribute(StunMessage.ERROR_CODE).value()))
                .isEqualTo(400);
    }

    @Test
    void staysSilentForEverythingElse() throws Exception {
        InetSocketAddress source = addr("192.0.2.1", 1);
        byte[] rtp = new byte[172];
        rtp[0] = (byte) 0x80;
        assertThat(answer(rtp, source)).isNull();
        assertThat(answer("hello".getBytes(), source)).isNull();
        assertThat(answer(request(StunMessage.BINDING_SUCCESS, false), source)).isNull();
        assertThat(answer(request(StunMessage.BINDING_ERROR, false), source)).isNull();
        assertThat(answer(request(StunMessage.BINDING_INDICATION, false), source)).isNull();
        byte[] badFingerprint = StunSamples.SAMPLE_REQUEST.clone();
        badFingerprint[badFingerprint.length - 1] ^= 1;
        assertThat(answer(badFingerprint, source)).isNull();
        byte[] noCookieMalformed = StunSamples.hex("0001 0004 00000000 0102030405060708090a0b0c");
        assertThat(answer(noCookieMalformed, source)).isNull();
        assertThat(answer(request(StunMessage.BINDING_SUCCESS, false), source)).isNull();
    }
}
