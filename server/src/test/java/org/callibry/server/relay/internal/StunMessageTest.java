package org.callibry.server.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The STUN codec on wire bytes. Scenarios: the RFC 5769 test vectors (§2.1 request, §2.2 IPv4 and §2.3
 * IPv6 responses) decode with a valid FINGERPRINT and MESSAGE-INTEGRITY and the right mapped address,
 * and encoding the same attributes gives the same bytes; method and class bits; RFC 3489 messages
 * (no cookie); malformed input: every truncation, a length field that disagrees with the datagram,
 * length not a multiple of 4, an attribute running past the end, FINGERPRINT not last or wrong,
 * datagrams that are not STUN at all.
 */
class StunMessageTest {
    /** RFC 5769 §2: the password of the short-term credentials the samples were signed with. */
    private static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    private static final byte[] TID = hex("b7e7a701 bc34d686 fa87dfae");

    /** RFC 5769 §2.1 Sample Request. */
    static final byte[] SAMPLE_REQUEST = hex("""
            00 01 00 58  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
            80 22 00 10  53 54 55 4e  20 74 65 73  74 20 63 6c  69 65 6e 74
            00 24 00 04  6e 00 01 ff
            80 29 00 08  93 2f f9 b1  51 26 3b 36
            00 06 00 09  65 76 74 6a  3a 68 36 76  59 20 20 20
            00 08 00 14  9a ea a7 0c  bf d8 cb 56  78 1e f2 b5  b2 d3 f2 49  c1 b5 71 a2
            80 28 00 04  e5 7a 3b cf""");

    /** RFC 5769 §2.2 Sample IPv4 Response. */
    static final byte[] SAMPLE_IPV4_RESPONSE = hex("""
            01 01 00 3c  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
            80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
            00 20 00 08  00 01 a1 47  e1 12 a6 43
            00 08 00 14  2b 91 f5 99  fd 9e 90 c3  8c 74 89 f9  2a f9 ba 53  f0 6b e7 d7
            80 28 00 04  c0 7d 4c 96""");

    /** RFC 5769 §2.3 Sample IPv6 Response. */
    static final byte[] SAMPLE_IPV6_RESPONSE = hex("""
            01 01 00 48  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
            80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
            00 20 00 14  00 02 a1 47  01 13 a9 fa  a5 d3 f1 79  bc 25 f4 b5  be d2 b9 d9
            00 08 00 14  a3 82 95 4e  4b e6 7b f1  17 84 c9 7c  82 92 c2 75  bf e3 ed 41
            80 28 00 04  c8 fb 0b 4c""");

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    private static StunMessage decode(byte[] b) throws StunMessage.MalformedException {
        return StunMessage.decode(b, 0, b.length);
    }

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
        assertThat(messageIntegrityValid(SAMPLE_REQUEST)).isTrue();
    }

    @Test
    void decodesTheRfc5769Ipv4Response() throws Exception {
        StunMessage m = decode(SAMPLE_IPV4_RESPONSE);
        assertThat(m.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
        assertThat(m.messageClass()).isEqualTo(StunMessage.SUCCESS);
        assertThat(text(m.attribute(StunMessage.SOFTWARE))).isEqualTo("test vector");
        assertThat(m.xorMappedAddress(m.attribute(StunMessage.XOR_MAPPED_ADDRESS).value()))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertThat(messageIntegrityValid(SAMPLE_IPV4_RESPONSE)).isTrue();
    }

    @Test
    void decodesTheRfc5769Ipv6Response() throws Exception {
        StunMessage m = decode(SAMPLE_IPV6_RESPONSE);
        assertThat(m.xorMappedAddress(m.attribute(StunMessage.XOR_MAPPED_ADDRESS).value()))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
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
            // RFC 5769 pads with spaces; padding may hold any value (RFC 5389 §15)
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

    @Test
    void encodesWithZeroPaddingAndNoFingerprintByDefault() throws Exception {
        StunMessage m = new StunMessage(StunMessage.BINDING_REQUEST, StunMessage.MAGIC_COOKIE, TID,
                List.of(new StunMessage.Attribute(StunMessage.SOFTWARE, new byte[] {'a'})));
        assertThat(m.encode(false)).isEqualTo(hex("0001 0008 2112a442 b7e7a701 bc34d686 fa87dfae 8022 0001 61000000"));
        assertThat(decode(m.encode(false)).fingerprinted()).isFalse();
    }

    @Test
    void splitsMethodAndClassBits() {
        StunMessage error = new StunMessage(StunMessage.BINDING_ERROR, StunMessage.MAGIC_COOKIE, TID, List.of());
        assertThat(error.method()).isEqualTo(1);
        assertThat(error.messageClass()).isEqualTo(StunMessage.ERROR);
        StunMessage indication = new StunMessage(StunMessage.BINDING_INDICATION, StunMessage.MAGIC_COOKIE, TID, List.of());
        assertThat(indication.messageClass()).isEqualTo(StunMessage.INDICATION);
        // Allocate (method 3, RFC 5766) success: 0x0103; a method with bits above M3: 0x0020 -> 0x0040
        assertThat(new StunMessage(0x0103, StunMessage.MAGIC_COOKIE, TID, List.of()).method()).isEqualTo(3);
        assertThat(new StunMessage(0x0040, StunMessage.MAGIC_COOKIE, TID, List.of()).method()).isEqualTo(0x20);
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
    void everyTruncationIsRefused() {
        for (int len = 0; len < SAMPLE_REQUEST.length; len++) {
            int n = len;
            assertThatThrownBy(() -> StunMessage.decode(SAMPLE_REQUEST, 0, n)).as("length %d", n)
                    .isInstanceOf(StunMessage.MalformedException.class)
                    .satisfies(e -> assertThat(((StunMessage.MalformedException) e).header() == null).isEqualTo(n < 20));
        }
    }

    @Test
    void refusesALengthFieldThatDisagreesWithTheDatagram() {
        byte[] b = SAMPLE_REQUEST.clone();
        b[3] = 0x5c; // 4 more than there are
        assertThatThrownBy(() -> decode(b)).hasMessageContaining("length field 92 but 88");
        byte[] longer = Arrays.copyOf(SAMPLE_REQUEST, SAMPLE_REQUEST.length + 4);
        assertThatThrownBy(() -> decode(longer)).hasMessageContaining("length field 88 but 92");
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
        byte[] notLast = hex("0001 0010 2112a442 b7e7a701 bc34d686 fa87dfae 8028 0004 00000000 8022 0000 00000000"
                .replace(" 00000000 8022 0000 00000000", " 00000000 8022 0004 00000000"));
        assertThatThrownBy(() -> decode(notLast)).hasMessageContaining("not the last");
    }

    @Test
    void recognisesDatagramsThatAreNotStun() {
        byte[] rtp = new byte[32];
        rtp[0] = (byte) 0x80;
        assertThat(StunMessage.looksLikeStun(rtp, 0, rtp.length)).isFalse();
        assertThatThrownBy(() -> decode(rtp)).isInstanceOfSatisfying(StunMessage.MalformedException.class,
                e -> assertThat(e.header()).isNull());
        assertThat(StunMessage.looksLikeStun(SAMPLE_REQUEST, 0, 19)).isFalse();
    }

    @Test
    void writesErrorCodeAndUnknownAttributes() {
        assertThat(StunMessage.errorCode(420, "Unknown Attribute")).startsWith(0, 0, 4, 20);
        assertThat(StunMessage.errorCode(StunMessage.errorCode(420, "x"))).isEqualTo(420);
        assertThat(StunMessage.unknownAttributes(List.of(0x0003, 0x7fff))).isEqualTo(hex("0003 7fff"));
    }

    private static String text(StunMessage.Attribute a) {
        return new String(a.value(), StandardCharsets.UTF_8);
    }

    /** RFC 5389 §15.4: HMAC-SHA1 over the message up to MESSAGE-INTEGRITY, length counting up to its end. */
    private static boolean messageIntegrityValid(byte[] msg) throws Exception {
        int at = 20;
        while (((msg[at] & 0xff) << 8 | (msg[at + 1] & 0xff)) != StunMessage.MESSAGE_INTEGRITY) {
            int len = (msg[at + 2] & 0xff) << 8 | (msg[at + 3] & 0xff);
            at += 4 + ((len + 3) & ~3);
        }
        byte[] signed = Arrays.copyOf(msg, at);
        ByteBuffer.wrap(signed).putShort(2, (short) (at + 24 - 20));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(PASSWORD.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Arrays.equals(mac.doFinal(signed), Arrays.copyOfRange(msg, at + 4, at + 24));
    }
}
