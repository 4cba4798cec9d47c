package org.callibry.server.nodes.internal;

import org.callibry.server.nodes.ng.Bencode;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat datagram. Scenarios: the exact bytes; a signed heartbeat verifies with the same secret
 * from any address; refused: another secret, no mac, a changed field, a stale or future timestamp,
 * a non-loopback source without a secret, malformed or oversized datagrams, missing fields, another version.
 */
class HeartbeatTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final byte[] SECRET = "s3cret".getBytes(UTF_8);
    private static final Duration SKEW = Duration.ofSeconds(5);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Heartbeat.Announcement A = new Heartbeat.Announcement("media-1", "10.0.0.5:2223", "10.0.0.5:5080",
            1000, 12, NOW, false);

    private static InetAddress remote() throws Exception {
        return InetAddress.getByName("192.0.2.7");
    }

    @Test
    void writesASortedBencodedDictionary() {
        String wire = new String(Heartbeat.encode(A, null), ISO_8859_1);
        assertThat(wire).isEqualTo("d8:capacityi1000e2:id7:media-17:leavingi0e4:loadi12e3:mac0:2:ng13:10.0.0.5:2223"
                + "3:sip13:10.0.0.5:50802:tsi1767225600000e1:vi1ee");
        byte[] signed = Heartbeat.encode(A, SECRET);
        Map<String, Object> d = Bencode.decodeDictionary(signed, 0, signed.length);
        assertThat((byte[]) d.get("mac")).hasSize(32);
    }

    @Test
    void acceptsASignedHeartbeatFromAnywhere() throws Exception {
        byte[] b = Heartbeat.encode(A, SECRET);
        assertThat(Heartbeat.verify(b, b.length, remote(), SECRET, NOW.plusSeconds(4), SKEW)).isEqualTo(A);
        assertThat(Heartbeat.verify(b, b.length, LOOPBACK, SECRET, NOW.minusSeconds(4), SKEW)).isEqualTo(A);
    }

    @Test
    void acceptsAnUnsignedHeartbeatFromLoopbackWhenThereIsNoSecret() throws Exception {
        byte[] b = Heartbeat.encode(A, null);
        assertThat(Heartbeat.verify(b, b.length, LOOPBACK, null, NOW, SKEW)).isEqualTo(A);
        Heartbeat.Announcement noSip = new Heartbeat.Announcement("m", "127.0.0.1:1", null, 1, 0, NOW, true);
        byte[] c = Heartbeat.encode(noSip, null);
        assertThat(Heartbeat.verify(c, c.length, LOOPBACK, null, NOW, SKEW)).isEqualTo(noSip);
    }

    @Test
    void refusesAnotherSecretOrNoMac() throws Exception {
        byte[] b = Heartbeat.encode(A, "other".getBytes(UTF_8));
        assertThatThrownBy(() -> Heartbeat.verify(b, b.length, remote(), SECRET, NOW, SKEW)).hasMessageContaining("wrong mac");
        byte[] unsigned = Heartbeat.encode(A, null);
        assertThatThrownBy(() -> Heartbeat.verify(unsigned, unsigned.length, LOOPBACK, SECRET, NOW, SKEW))
                .hasMessageContaining("wrong mac");
    }

    @Test
    void refusesAChangedField() {
        byte[] b = Heartbeat.encode(A, SECRET);
        String wire = new String(b, ISO_8859_1).replace("4:loadi12e", "4:loadi10e");
        byte[] forged = wire.getBytes(ISO_8859_1);
        assertThatThrownBy(() -> Heartbeat.verify(forged, forged.length, LOOPBACK, SECRET, NOW, SKEW))
                .isInstanceOf(Heartbeat.Rejected.class).hasMessageContaining("wrong mac");
    }

    @Test
    void refusesStaleAndFutureTimestamps() {
        byte[] b = Heartbeat.encode(A, SECRET);
        assertThatThrownBy(() -> Heartbeat.verify(b, b.length, LOOPBACK, SECRET, NOW.plusSeconds(6), SKEW))
                .hasMessageContaining("stale");
        assertThatThrownBy(() -> Heartbeat.verify(b, b.length, LOOPBACK, SECRET, NOW.minusSeconds(6), SKEW))
                .hasMessageContaining("stale");
    }

    @Test
    void refusesNonLoopbackSourcesWithoutASecret() throws Exception {
        byte[] b = Heartbeat.encode(A, null);
        InetAddress from = remote();
        assertThatThrownBy(() -> Heartbeat.verify(b, b.length, from, null, NOW, SKEW))
                .hasMessageContaining("only loopback sources");
    }

    @Test
    void refusesMalformedDatagrams() {
        byte[] junk = "hello".getBytes(UTF_8);
        assertThatThrownBy(() -> Heartbeat.verify(junk, junk.length, LOOPBACK, null, NOW, SKEW)).hasMessageContaining("malformed");
        byte[] big = new byte[Heartbeat.MAX_SIZE + 1];
        assertThatThrownBy(() -> Heartbeat.verify(big, big.length, LOOPBACK, null, NOW, SKEW)).hasMessageContaining("bytes");
        assertRefused(Map.of("v", 2), "version");
        assertRefused(Map.of("v", 1, "ts", NOW.toEpochMilli(), "id", "x", "ng", "nohost"), "bad ng address");
        assertRefused(Map.of("v", 1, "ts", NOW.toEpochMilli(), "id", "x", "ng", "h:1", "sip", "", "capacity", -1, "load", 0),
                "'capacity'");
        assertRefused(Map.of("v", 1, "ts", NOW.toEpochMilli(), "ng", "h:1"), "'id'");
        assertRefused(Map.of("v", 1, "id", "x"), "'ts'");
    }

    private static void assertRefused(Map<String, Object> dict, String message) {
        byte[] b = Bencode.encode(dict);
        assertThatThrownBy(() -> Heartbeat.verify(b, b.length, LOOPBACK, null, NOW, SKEW)).as(message)
                .isInstanceOf(Heartbeat.Rejected.class).hasMessageContaining(message);
    }
}
