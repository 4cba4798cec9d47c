package org.callibry.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * STUN Binding on wire bytes (RFC 5389): the request's header; XOR-MAPPED-ADDRESS for IPv4 and IPv6;
 * MAPPED-ADDRESS as fallback; padding of unknown attributes; responses to another transaction, of
 * another type, truncated or with a bad length; and a round trip with a responder on loopback.
 */
class StunClientTest {
    private static final byte[] TX = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");

    @Test
    void requestIsA20ByteBindingWithTheMagicCookie() {
        assertThat(HexFormat.of().formatHex(StunClient.request(TX))).isEqualTo("000100002112a442b7e7a701bc34d686fa87dfae");
    }

    @Test
    void decodesXorMappedIpv4() {
        // 192.0.2.1:32853 as RFC 5769 §2.2 has it: port 0xa147, address 0xe112a643
        byte[] m = response(attribute(0x0020, HexFormat.of().parseHex("0001a147e112a643")));

        assertThat(StunClient.decode(m, TX)).contains(new InetSocketAddress("192.0.2.1", 32853));
    }

    @Test
    void decodesXorMappedIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677");
        byte[] mask = ByteBuffer.allocate(16).putInt(StunClient.MAGIC_COOKIE).put(TX).array();
        byte[] x = v6.getAddress().clone();
        for (int i = 0; i < 16; i++) {
            x[i] ^= mask[i];
        }
        byte[] value = ByteBuffer.allocate(20).put((byte) 0).put((byte) 2).putShort((short) (32853 ^ 0x2112)).put(x).array();

        assertThat(StunClient.decode(response(attribute(0x0020, value)), TX)).contains(new InetSocketAddress(v6, 32853));
    }

    @Test
    void fallsBackToMappedAddressAndSkipsPaddedUnknownAttributes() {
        byte[] software = attribute(0x8022, "abcde".getBytes()); // 5 bytes, padded to 8
        byte[] mapped = attribute(0x0001, HexFormat.of().parseHex("00010050c0000201"));

        assertThat(StunClient.decode(response(software, mapped), TX)).contains(new InetSocketAddress("192.0.2.1", 80));
    }

    @Test
    void ignoresOtherTransactionsTypesAndMalformedMessages() {
        byte[] good = response(attribute(0x0020, HexFormat.of().parseHex("0001a147e112a643")));
        byte[] otherTx = good.clone();
        otherTx[19] ^= 1;
        byte[] error = good.clone();
        error[1] = 0x11; // 0x0111 Binding error response
        byte[] badLength = good.clone();
        badLength[3] = 40;

        assertThat(StunClient.decode(otherTx, TX)).isEmpty();
        assertThat(StunClient.decode(error, TX)).isEmpty();
        assertThat(StunClient.decode(badLength, TX)).isEmpty();
        assertThat(StunClient.decode(Arrays.copyOf(good, 19), TX)).isEmpty();
        assertThat(StunClient.decode(response(attribute(0x0020, new byte[] {0, 1, 2})), TX)).isEmpty();
    }

    @Test
    void roundTripWithAResponderThatAnswersTheSecondTry() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket server = new DatagramSocket(0, lo); DatagramSocket client = new DatagramSocket(0, lo)) {
            Thread responder = Thread.ofVirtual().start(() -> {
                try {
                    byte[] buf = new byte[100];
                    DatagramPacket first = new DatagramPacket(buf, buf.length);
                    server.receive(first); // dropped: the client must retransmit
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    server.receive(p);
                    byte[] tx = Arrays.copyOfRange(p.getData(), 8, 20);
                    byte[] ip = ((InetSocketAddress) p.getSocketAddress()).getAddress().getAddress();
                    byte[] value = ByteBuffer.allocate(8).put((byte) 0).put((byte) 1)
                            .putShort((short) (p.getPort() ^ 0x2112)).putInt(ByteBuffer.wrap(ip).getInt() ^ StunClient.MAGIC_COOKIE)
                            .array();
                    byte[] answer = responseTo(tx, attribute(0x0020, value));
                    server.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                } catch (Exception ignored) {
                    // the test fails on the client side
                }
            });
            client.setSoTimeout(1234);

            var mapped = StunClient.mappedAddress(client, (InetSocketAddress) server.getLocalSocketAddress(), Duration.ofSeconds(3));

            assertThat(mapped).contains(new InetSocketAddress(lo, client.getLocalPort()));
            assertThat(client.getSoTimeout()).isEqualTo(1234);
            responder.join(1000);
        }
    }

    @Test
    void noAnswerGivesNothingWithinTheTimeout() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket silent = new DatagramSocket(0, lo); DatagramSocket client = new DatagramSocket(0, lo)) {
            long start = System.nanoTime();
            assertThat(StunClient.mappedAddress(client, (InetSocketAddress) silent.getLocalSocketAddress(), Duration.ofMillis(600)))
                    .isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        }
    }

    private static byte[] attribute(int type, byte[] value) {
        int padded = (value.length + 3) / 4 * 4;
        return ByteBuffer.allocate(4 + padded).putShort((short) type).putShort((short) value.length).put(value).array();
    }

    private static byte[] response(byte[]... attributes) {
        return responseTo(TX, attributes);
    }

    private static byte[] responseTo(byte[] tx, byte[]... attributes) {
        int length = Arrays.stream(attributes).mapToInt(a -> a.length).sum();
        ByteBuffer b = ByteBuffer.allocate(20 + length);
        b.putShort((short) 0x0101).putShort((short) length).putInt(StunClient.MAGIC_COOKIE).put(tx);
        for (byte[] a : attributes) {
            b.put(a);
        }
        return b.array();
    }
}
