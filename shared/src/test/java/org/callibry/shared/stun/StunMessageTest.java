package org.callibry.shared.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.callibry.shared.stun.StunSamples.SAMPLE_IPV4_RESPONSE;
import static org.callibry.shared.stun.StunSamples.SAMPLE_IPV6_RESPONSE;
import static org.callibry.shared.stun.StunSamples.SAMPLE_REQUEST;
import static org.callibry.shared.stun.StunSamples.hex;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The STUN codec on wire bytes (RFC 8489, formerly RFC 5389), as the server and the softphone use it.
 * Scenarios:
 * <ul>
 * <li>the RFC 5769 test vectors (§2.1 request, §2.2 IPv4 and §2.3 IPv6 responses) decode with a valid
 *     FINGERPRINT and MESSAGE-INTEGRITY and the right mapped address, and encoding the same attributes
 *     gives the same bytes;</li>
 * <li>the client's messages: a Binding request, a success response round trip (IPv4 and IPv6), an
 *     error response's code, MAPPED-ADDRESS from an RFC 3489 server;</li>
 * <li>method and class bits; RFC 3489 messages (no cookie) and a wrong magic cookie;</li>
 * <li>unknown attributes kept in order and told apart by comprehension-required or optional;</li>
 * <li>malformed input: every truncation, a length field that disagrees with the datagram, length not a
 *     multiple of 4, an attribute running past the end, FINGERPRINT not last, of the wrong size or
 *     wrong, unreadable address and ERROR-CODE values, datagrams that are not STUN at all.</li>
 * </ul>
 */
class StunMessageTest {
    private static final byte[] TID = StunSamples.TRANSACTION_ID;

    private static StunMessage decode(byte[] b) throws StunMessage.MalformedException {
        return StunMessage.decode(b, 0, b.length);
    }

    // ---- RFC 5769 test vectors ----

    @Test
    void decodesTheRfc5769SampleRequest() throws Exception {
        StunMessage m = decode(SAMPLE_REQUEST);
        assertThat(m.type()).isEqualTo(StunMessage.BINDING_REQUEST);
        assertThat(m.method()).isEqualTo(1);
        assertThat(m.messageClass()).isEqualTo(StunMessage.REQUEST);
        assertThat(m.rfc5389()).isTrue();
        assertThat(m.transactionId()).isEqualTo(TID);
        assertThat(m.fingerprinted()).isTrue();
        assertThat(m.attributes()).extracting(StunMessage.Attribute::type)
                .containsExactly(0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028);
        assertThat(text(m.attribute(StunMessage.SOFTWARE))).isEqualTo("STUN test client");
        assertThat(text(m.attribute(StunMessage.USERNAME))).isEqualTo("evtj:h6vY");
        assertThat(m.mapped()).isNull();
        assertThat(m.errorCode()).isZero();
        assertThat(messageIntegrityValid(SAMPLE_REQUEST)).isTrue();
    }

    @Test
    void decodesTheRfc5769Ipv4Response() throws Exception {
        StunMessage m = decode(SAMPLE_IPV4_RESPONSE);
        InetSocketAddress expected = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        assertThat(m.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
        assertThat(m.messageClass()).isEqualTo(StunMessage.SUCCESS);
        assertThat(m.transactionId()).isEqualTo(TID);
        assertThat(text(m.attribute(StunMessage.SOFTWARE))).isEqualTo("test vector");
        assertThat(m.xorMappedAddress(m.attribute(StunMessage.XOR_MAPPED_ADDRESS).value())).isEqualTo(expected);
        assertThat(m.mapped()).isEqualTo(expected);
        assertThat(messageIntegrityValid(SAMPLE_IPV4_RESPONSE)).isTrue();
    }

    @Test
    void decodesTheRfc5769Ipv6Response() throws Exception {
        StunMessage m = decode(SAMPLE_IPV6_RESPONSE);
        InetSocketAddress expected = new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
        assertThat(m.xorMappedAddress(m.attribute(StunMessage.XOR_MAPPED_ADDRESS).value())).isEqualTo(expected);
        assertThat(m.mapped()).isEqualTo(expected);
        assertThat(m.fingerprinted()).isTrue();
        assertThat(messageIntegrityValid(SAMPLE_IPV6_RESPONSE)).isTrue();
    }

    @Test
    void encodesTheRfc5769ResponsesByteForByte() throws Exception {
        for (byte[] sample : List.of(SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE)) {
            StunMessage decoded = decode(sample);
            InetSocketAddress mapped = decoded.xorMappedAddress(decoded.attribute(StunMessage.XOR_MAPPED_ADDRESS).value());
            StunMessage built = new StunMessage(StunMessage.BINDING_SUCCESS, StunMessage.MAGIC_COOKIE, TID, List.of(
                    new StunMessage.Attribute(StunMessage.SOFTWARE, "test vector".getBytes(StandardCharsets.UTF_8)),
                    new StunMessage.Attribute(StunMessage.XOR_MAPPED_ADDRESS,
                            StunMessage.xorMappedAddress(mapped, StunMessage.MAGIC_COOKIE, TID)),
                    decoded.attribute(StunMessage.MESSAGE_INTEGRITY)));
            // RFC 5769 pads with spaces; padding may hold any value (RFC 8489 §14)
            assertThat(built.encode(true, (byte) ' ')).isEqualTo(sample);
        }
    }

    @Test
    void reencodesTheSampleRequestWithTheSameFingerprint() throws Exception {
        StunMessage m = decode(SAMPLE_REQUEST);
        StunMessage withoutFingerprint = new StunMessage(m.type(), m.cookie(), m.transactionId(),
                m.attributes().subList(0, m.attributes().size() - 1));
        assertThat(withoutFingerprint.encode(true, (byte) ' ')).isEqualTo(SAMPLE_REQUEST);
    }

    // ---- the client's messages ----

    @Test
    void encodesABindingRequest() {
        assertThat(StunMessage.bindingRequest(TID).encode()).isEqualTo(hex("0001 0000 2112a442 b7e7a701 bc34d686 fa87dfae"));
    }

    @Test
    void encodesABindingSuccessWithTheRfc5769XorMappedAddress() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        assertThat(StunMessage.bindingSuccess(TID, mapped).encode())
                .isEqualTo(hex("0101 000c 2112a442 b7e7a701 bc34d686 fa87dfae 0020 0008 0001a147 e112a643"));
    }

    @Test
    void roundTripsAnIpv6XorMappedAddress() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
        byte[] wire = StunMessage.bindingSuccess(TID, mapped).encode();
        assertThat(decode(wire).mapped()).isEqualTo(mapped);
    }

    @Test
    void readsTheErrorCode() throws Exception {
        // ERROR-CODE 420 with reason "x" (RFC 8489 §14.8: class 4 in the third byte, number 20 in the fourth)
        byte[] wire = hex("0111 000c 2112a442 b7e7a701 bc34d686 fa87dfae 0009 0005 00000414 78000000");
        StunMessage m = decode(wire);
        assertThat(m.errorCode()).isEqualTo(420);
        assertThat(m.messageClass()).isEqualTo(StunMessage.ERROR);
        assertThat(m.mapped()).isNull();
    }

    @Test
    void readsMappedAddressFromAnRfc3489ServerAndPrefersTheXoredOne() throws Exception {
        InetSocketAddress plain = new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 5060);
        InetSocketAddress xored = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        StunMessage old = new StunMessage(StunMessage.BINDING_SUCCESS, StunMessage.MAGIC_COOKIE, TID,
                List.of(new StunMessage.Attribute(StunMessage.MAPPED_ADDRESS, StunMessage.mappedAddress(plain))));
        assertThat(decode(old.encode()).mapped()).isEqualTo(plain);
        StunMessage both = new StunMessage(StunMessage.BINDING_SUCCESS, StunMessage.MAGIC_COOKIE, TID, List.of(
                new StunMessage.Attribute(StunMessage.MAPPED_ADDRESS, StunMessage.mappedAddress(plain)),
                new StunMessage.Attribute(StunMessage.XOR_MAPPED_ADDRESS,
                        StunMessage.xorMappedAddress(xored, StunMessage.MAGIC_COOKIE, TID))));
        assertThat(decode(both.encode()).mapped()).isEqualTo(xored);
    }

    // ---- header bits, RFC 3489 ----

    @Test
    void encodesWithZeroPaddingAndNoFingerprintByDefault() throws Exception {
        StunMessage m = new StunMessage(StunMessage.BINDING_REQUEST, StunMessage.MAGIC_COOKIE, TID,
                List.of(new StunMessage.Attribute(StunMessage.SOFTWARE, new byte[] {'a'})));
        assertThat(m.encode(false)).isEqualTo(hex("0001 0008 2112a442 b7e7a701 bc34d686 fa87dfae 8022 0001 61000000"));
        assertThat(m.encode()).isEqualTo(m.encode(false));
        assertThat(decode(m.encode(false)).fingerprinted()).isFalse();
        assertThat(decode(m.encode(true)).fingerprinted()).isTrue();
    }

    @Test
    void splitsMethodAndClassBits() {
        StunMessage error = new StunMessage(StunMessage.BINDING_ERROR, StunMessage.MAGIC_COOKIE, TID, List.of());
        assertThat(error.method()).isEqualTo(1);
        assertThat(error.messageClass()).isEqualTo(StunMessage.ERROR);
        StunMessage indication = new StunMessage(StunMessage.BINDING_INDICATION, StunMessage.MAGIC_COOKIE, TID, List.of());
        assertThat(indication.messageClass()).isEqualTo(StunMessage.INDICATION);
        // Allocate (method 3, RFC 8656) success: 0x0103; a method with bits above M3: 0x0020 -> 0x0040
        assertThat(new StunMessage(0x0103, StunMessage.MAGIC_COOKIE, TID, List.of()).method()).isEqualTo(3);
        assertThat(new StunMessage(0x0040, StunMessage.MAGIC_COOKIE, TID, List.of()).method()).isEqualTo(0x20);
        assertThatThrownBy(() -> new StunMessage(0x4001, StunMessage.MAGIC_COOKIE, TID, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StunMessage.bindingRequest(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodesAnRfc3489RequestWithoutCookie() throws Exception {
        byte[] b = hex("0001 0000 0102030405060708090a0b0c0d0e0f10");
        StunMessage m = decode(b);
        assertThat(m.rfc5389()).isFalse();
        assertThat(m.cookie()).isEqualTo(0x01020304);
        assertThat(m.encode(false)).isEqualTo(b);
    }

    @Test
    void tellsAWrongMagicCookieSoThatAClientCanRefuseTheResponse() throws Exception {
        // RFC 8489 §6.3: a client checks the cookie; the codec reads such a message as RFC 3489's (§11)
        StunMessage m = decode(hex("0101 0000 2112a443 b7e7a701 bc34d686 fa87dfae"));
        assertThat(m.rfc5389()).isFalse();
        assertThat(m.cookie()).isEqualTo(0x2112a443);
    }

    // ---- attributes ----

    @Test
    void keepsUnknownAttributesInOrderAndTellsWhichMustBeUnderstood() throws Exception {
        byte[] wire = new StunMessage(StunMessage.BINDING_REQUEST, StunMessage.MAGIC_COOKIE, TID, List.of(
                new StunMessage.Attribute(0x7f01, new byte[] {1}),
                new StunMessage.Attribute(0x8fff, new byte[] {1, 2, 3, 4, 5}),
                new StunMessage.Attribute(0x0002, new byte[8]))).encode();
        assertThat(wire).isEqualTo(hex("0001 0020 2112a442 b7e7a701 bc34d686 fa87dfae"
                + " 7f01 0001 01000000  8fff 0005 01020304 05000000  0002 0008 00000000 00000000"));
        StunMessage m = decode(wire);
        // RFC 8489 §14: 0x0000-0x7FFF comprehension-required, 0x8000-0xFFFF comprehension-optional
        assertThat(m.attributes()).extracting(StunMessage.Attribute::type).containsExactly(0x7f01, 0x8fff, 0x0002);
        assertThat(m.attributes()).extracting(StunMessage.Attribute::comprehensionRequired).containsExactly(true, false, true);
        assertThat(m.attribute(0x8fff).value()).containsExactly(1, 2, 3, 4, 5);
        assertThat(m.encode()).isEqualTo(wire);
    }

    @Test
    void mappedAddressesRoundTrip() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 5060);
        assertThat(StunMessage.mappedAddress(v4)).isEqualTo(hex("0001 13c4 cb007107"));
        assertThat(StunMessage.mappedAddress(StunMessage.mappedAddress(v4))).isEqualTo(v4);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 1);
        assertThat(StunMessage.mappedAddress(StunMessage.mappedAddress(v6))).isEqualTo(v6);
        assertThatThrownBy(() -> StunMessage.mappedAddress(hex("0001 0000 01"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StunMessage.mappedAddress(hex("0003 0000 01020304"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAnUnreadableAddressOrErrorCode() throws Exception {
        StunMessage family = decode(hex("0101 000c 2112a442 b7e7a701 bc34d686 fa87dfae 0020 0008 0003a147 e112a643"));
        assertThatThrownBy(family::mapped).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("family 3");
        StunMessage shortError = decode(hex("0111 0008 2112a442 b7e7a701 bc34d686 fa87dfae 0009 0002 00040000"));
        assertThatThrownBy(shortError::errorCode).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ERROR-CODE of 2 bytes");
    }

    @Test
    void writesErrorCodeAndUnknownAttributes() {
        assertThat(StunMessage.errorCode(420, "Unknown Attribute")).startsWith(0, 0, 4, 20);
        assertThat(StunMessage.errorCode(StunMessage.errorCode(420, "x"))).isEqualTo(420);
        assertThat(StunMessage.unknownAttributes(List.of(0x0003, 0x7fff))).isEqualTo(hex("0003 7fff"));
    }

    // ---- malformed input ----

    @Test
    void everyTruncationIsRefused() {
        for (int len = 0; len < SAMPLE_REQUEST.length; len++) {
            int n = len;
            assertThatThrownBy(() -> StunMessage.decode(SAMPLE_REQUEST, 0, n)).as("length %d", n)
                    .isInstanceOf(StunMessage.MalformedException.class)
                    .satisfies(e -> assertThat(((StunMessage.MalformedException) e).header() == null).isEqualTo(n < 20));
        }
        assertThatThrownBy(() -> StunMessage.decode(new byte[8], 0, 8)).hasMessageContaining("shorter than a STUN header");
    }

    @Test
    void decodesAMessageInsideALargerBuffer() throws Exception {
        byte[] buf = new byte[SAMPLE_REQUEST.length + 13];
        System.arraycopy(SAMPLE_REQUEST, 0, buf, 7, SAMPLE_REQUEST.length);
        StunMessage m = StunMessage.decode(buf, 7, SAMPLE_REQUEST.length);
        assertThat(m.fingerprinted()).isTrue();
        assertThat(m.transactionId()).isEqualTo(TID);
    }

    @Test
    void refusesALengthFieldThatDisagreesWithTheDatagram() {
        byte[] b = SAMPLE_REQUEST.clone();
        b[3] = 0x5c; // 4 more than there are
        assertThatThrownBy(() -> decode(b)).hasMessageContaining("length field 92 but 88");
        byte[] longer = Arrays.copyOf(SAMPLE_REQUEST, SAMPLE_REQUEST.length + 4);
        assertThatThrownBy(() -> decode(longer)).hasMessageContaining("length field 88 but 92");
        byte[] noBody = hex("0101 0004 2112a442 b7e7a701 bc34d686 fa87dfae");
        assertThatThrownBy(() -> decode(noBody)).hasMessageContaining("length field 4 but 0");
    }

    @Test
    void refusesALengthThatIsNotAMultipleOfFour() {
        byte[] b = hex("0001 0006 2112a442 b7e7a701 bc34d686 fa87dfae 8022 0002 6162");
        assertThatThrownBy(() -> decode(b)).isInstanceOfSatisfying(StunMessage.MalformedException.class, e -> {
            assertThat(e.getMessage()).contains("not a multiple of 4");
            assertThat(e.header().rfc5389()).isTrue();
            assertThat(e.header().transactionId()).isEqualTo(TID);
        });
    }

    @Test
    void refusesAnAttributeRunningPastTheEnd() {
        byte[] b = hex("0001 0008 2112a442 b7e7a701 bc34d686 fa87dfae 8022 0005 61626364");
        assertThatThrownBy(() -> decode(b)).hasMessageContaining("attribute 0x8022 at offset 20: length 5 runs past the end");
        byte[] headerOnly = hex("0101 0004 2112a442 b7e7a701 bc34d686 fa87dfae 0020 0008");
        assertThatThrownBy(() -> decode(headerOnly)).hasMessageContaining("attribute 0x0020 at offset 20: length 8 runs past");
    }

    @Test
    void refusesAWrongOrMisplacedFingerprint() {
        byte[] wrong = SAMPLE_REQUEST.clone();
        wrong[wrong.length - 1] ^= 1;
        assertThatThrownBy(() -> decode(wrong)).isInstanceOfSatisfying(StunMessage.MalformedException.class, e -> {
            assertThat(e.getMessage()).contains("FINGERPRINT does not match");
            assertThat(e.header()).as("a bad fingerprint means: not STUN, drop it").isNull();
        });
        byte[] changedBody = SAMPLE_REQUEST.clone();
        changedBody[25] ^= 1; // inside SOFTWARE
        assertThatThrownBy(() -> decode(changedBody)).hasMessageContaining("FINGERPRINT does not match");
        byte[] notLast = hex("0001 0010 2112a442 b7e7a701 bc34d686 fa87dfae 8028 0004 00000000 8022 0004 00000000");
        assertThatThrownBy(() -> decode(notLast)).hasMessageContaining("not the last");
        byte[] tooLong = hex("0001 000c 2112a442 b7e7a701 bc34d686 fa87dfae 8028 0008 00000000 00000000");
        assertThatThrownBy(() -> decode(tooLong)).hasMessageContaining("FINGERPRINT of 8 bytes");
    }

    @Test
    void recognisesDatagramsThatAreNotStun() {
        byte[] rtp = new byte[32];
        rtp[0] = (byte) 0x80;
        assertThat(StunMessage.looksLikeStun(rtp, 0, rtp.length)).isFalse();
        assertThatThrownBy(() -> decode(rtp)).isInstanceOfSatisfying(StunMessage.MalformedException.class, e -> {
            assertThat(e.getMessage()).contains("top bits");
            assertThat(e.header()).isNull();
        });
        assertThat(StunMessage.looksLikeStun(SAMPLE_REQUEST, 0, 19)).isFalse();
        assertThat(StunMessage.looksLikeStun(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length)).isTrue();
    }

    private static String text(StunMessage.Attribute a) {
        return new String(a.value(), StandardCharsets.UTF_8);
    }

    /**
     * RFC 8489 §14.5 (RFC 5389 §15.4): HMAC-SHA1 with the short-term password over the message up to
     * MESSAGE-INTEGRITY, the length field counting up to its end.
     */
    private static boolean messageIntegrityValid(byte[] msg) throws Exception {
        int at = 20;
        while (((msg[at] & 0xff) << 8 | (msg[at + 1] & 0xff)) != StunMessage.MESSAGE_INTEGRITY) {
            int len = (msg[at + 2] & 0xff) << 8 | (msg[at + 3] & 0xff);
            at += 4 + ((len + 3) & ~3);
        }
        byte[] signed = Arrays.copyOf(msg, at);
        ByteBuffer.wrap(signed).putShort(2, (short) (at + 24 - 20));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(StunSamples.PASSWORD.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Arrays.equals(mac.doFinal(signed), Arrays.copyOfRange(msg, at + 4, at + 24));
    }
}
