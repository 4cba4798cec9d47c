package org.callibry.server.relay.internal;

import org.callibry.server.nodes.ng.Bencode;
import org.callibry.server.nodes.ng.NgClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.testing.Audio;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Recordings;
import org.callibry.shared.media.G711;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.Tones;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay driven over its ng control socket, with the test's own UDP sockets as the two phones:
 * <ul>
 *   <li>latching: a phone behind NAT announces one port and sends from another; both directions flow;</li>
 *   <li>once latched, a stranger sending to the same relay port neither reaches the other side nor takes the stream;</li>
 *   <li>hold: the held side hears the music on hold, the holder's packets stop, resume restores the media;</li>
 *   <li>recording: both directions end up in one MP3 of the call's length holding both tones;</li>
 *   <li>delete releases the call (query refuses it afterwards).</li>
 * </ul>
 */
class RelayIT extends ApiTestSupport {
    private static final Pattern PORT = Pattern.compile("m=audio (\\d+)");
    private NgClient ng;
    private InetSocketAddress control;
    private final List<DatagramSocket> sockets = new ArrayList<>();

    @BeforeEach
    void client() throws Exception {
        ng = new NgClient(new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(2), Duration.ofMillis(300), 3);
        control = new InetSocketAddress("127.0.0.1", NG_PORT);
    }

    @AfterEach
    void close() {
        ng.close();
        sockets.forEach(DatagramSocket::close);
    }

    private DatagramSocket socket() throws Exception {
        DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        s.setSoTimeout(300);
        sockets.add(s);
        return s;
    }

    static String sdp(int port, String direction) {
        return "v=0\r\no=- 7 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=" + direction + "\r\n";
    }

    private Map<String, Object> command(String name, String callId, String fromTag, String toTag, String sdp,
                                        Map<String, Object> extra) throws Exception {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("command", name);
        d.put("call-id", callId);
        if (fromTag != null) {
            d.put("from-tag", fromTag);
        }
        if (toTag != null) {
            d.put("to-tag", toTag);
        }
        if (sdp != null) {
            d.put("sdp", sdp);
        }
        d.putAll(extra);
        return ng.command(control, d);
    }

    private static int port(Map<String, Object> reply) {
        Matcher m = PORT.matcher(Bencode.string(reply.get("sdp")));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** A call set up by offer (A) and answer (B): where A and B must send. */
    private record Call(String id, InetSocketAddress relayForA, InetSocketAddress relayForB) {
    }

    private Call call(int aAnnounced, int bAnnounced, Map<String, Object> extra) throws Exception {
        String id = "relay-it-" + UUID.randomUUID();
        int forB = port(command("offer", id, "a", null, sdp(aAnnounced, "sendrecv"), extra));
        int forA = port(command("answer", id, "a", "b", sdp(bAnnounced, "sendrecv"), extra));
        return new Call(id, new InetSocketAddress("127.0.0.1", forA), new InetSocketAddress("127.0.0.1", forB));
    }

    private static byte[] rtp(int seq, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) 0).putShort((short) seq).putInt(seq * 160).putInt(0x1234).put(payload);
        return b.array();
    }

    private static void send(DatagramSocket from, InetSocketAddress to, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            byte[] p = rtp(i, new byte[160]);
            from.send(new DatagramPacket(p, p.length, to));
        }
    }

    /** Packets received within {@code ms}; each remembered with its source. */
    private static List<DatagramPacket> receive(DatagramSocket s, long ms) throws Exception {
        List<DatagramPacket> got = new ArrayList<>();
        long end = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < end) {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            try {
                s.receive(p);
                got.add(p);
            } catch (SocketTimeoutException e) {
                // keep listening until the deadline
            }
        }
        return got;
    }

    @Test
    void aPhoneBehindNatIsReachedWhereItReallySendsFrom() throws Exception {
        DatagramSocket announcedButSilent = socket();
        DatagramSocket aReal = socket();
        DatagramSocket b = socket();
        Call c = call(announcedButSilent.getLocalPort(), b.getLocalPort(), Map.of());

        send(aReal, c.relayForA(), 5);
        List<DatagramPacket> atB = receive(b, 500);
        assertThat(atB).as("A's media reaches B").hasSize(5);
        assertThat(atB.getFirst().getPort()).as("from the port B sends to (symmetric RTP)").isEqualTo(c.relayForB().getPort());

        send(b, c.relayForB(), 5);
        assertThat(receive(aReal, 500)).as("B's media reaches A where A sends from").hasSize(5);
        assertThat(receive(announcedButSilent, 200)).as("not the announced private port").isEmpty();
        command("delete", c.id(), "a", null, null, Map.of());
    }

    @Test
    void aStrangerCannotTakeOverALatchedStream() throws Exception {
        DatagramSocket a = socket();
        DatagramSocket b = socket();
        DatagramSocket stranger = socket();
        Call c = call(a.getLocalPort(), b.getLocalPort(), Map.of());
        send(a, c.relayForA(), 3);
        assertThat(receive(b, 300)).hasSize(3);

        send(stranger, c.relayForA(), 5);
        assertThat(receive(b, 300)).as("the stranger's packets are dropped").isEmpty();
        send(b, c.relayForB(), 3);
        assertThat(receive(a, 300)).as("A keeps its stream").hasSize(3);
        assertThat(receive(stranger, 200)).isEmpty();
        command("delete", c.id(), "a", null, null, Map.of());
        assertThatQueryFails(c.id());
    }

    @Test
    void theHeldPartyHearsMusicUntilTheCallIsResumed() throws Exception {
        DatagramSocket a = socket();
        DatagramSocket b = socket();
        Call c = call(a.getLocalPort(), b.getLocalPort(), Map.of());
        send(a, c.relayForA(), 2);
        send(b, c.relayForB(), 2);
        receive(a, 200);
        receive(b, 200);

        Map<String, Object> hold = command("offer", c.id(), "a", null, sdp(a.getLocalPort(), "sendonly"), Map.of());
        assertThat(Bencode.string(hold.get("sdp"))).as("B is told the relay sends").contains("a=sendonly");
        command("answer", c.id(), "a", "b", sdp(b.getLocalPort(), "recvonly"), Map.of());
        send(a, c.relayForA(), 5); // a phone on hold may keep sending: it must not reach B
        List<DatagramPacket> music = receive(b, 1000);
        assertThat(music.size()).as("about 50 packets a second of music").isBetween(40, 60);
        short[] pcm = decode(music);
        assertThat(rms(pcm)).as("music, not silence").isGreaterThan(300);

        command("offer", c.id(), "a", null, sdp(a.getLocalPort(), "sendrecv"), Map.of());
        command("answer", c.id(), "a", "b", sdp(b.getLocalPort(), "sendrecv"), Map.of());
        receive(b, 100);
        send(a, c.relayForA(), 4);
        List<DatagramPacket> after = receive(b, 400);
        assertThat(after).as("music stopped, A's media flows again").hasSize(4);
        command("delete", c.id(), "a", null, null, Map.of());
    }

    @Test
    void aRecordedCallBecomesAnMp3WithBothParties() throws Exception {
        DatagramSocket a = socket();
        DatagramSocket b = socket();
        Map<String, Object> record = Map.of("record call", "yes", "callibry-a", "1001", "callibry-b", "1005");
        Call c = call(a.getLocalPort(), b.getLocalPort(), record);
        short[] toneA = Tones.sine(440, 8000, 8000, 8000 * 3);
        short[] toneB = Tones.sine(1000, 8000, 8000, 8000 * 3);
        long next = System.nanoTime();
        for (int i = 0; i < 150; i++) { // 3 s of 20 ms packets each way, paced like a phone
            byte[] pa = new byte[160];
            byte[] pb = new byte[160];
            G711.encodeUlaw(toneA, i * 160, 160, pa, 0);
            G711.encodeUlaw(toneB, i * 160, 160, pb, 0);
            byte[] ra = rtp(i, pa);
            byte[] rb = rtp(i, pb);
            a.send(new DatagramPacket(ra, ra.length, c.relayForA()));
            b.send(new DatagramPacket(rb, rb.length, c.relayForB()));
            next += 20_000_000;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        command("delete", c.id(), "a", null, null, Map.of());

        CallibryClient admin = admin();
        Recordings.Recording rec = null;
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            List<Recordings.Recording> found = admin.recordings().list(new Recordings.ListParams(c.id(), null, null, null, null, null, null)).items();
            if (!found.isEmpty() && found.getFirst().state() != Recordings.State.CONVERTING) {
                rec = found.getFirst();
                break;
            }
            Thread.sleep(200);
        }
        assertThat(rec).as("recording catalogued").isNotNull();
        assertThat(rec.state()).isEqualTo(Recordings.State.READY);
        assertThat(rec.aNumber()).isEqualTo("1001");
        assertThat(rec.durationMs()).as("the call's length").isBetween(2_700L, 3_600L);
        short[] pcm = Audio.mp3ToMono(admin.downloadRecording(rec.id()));
        assertThat(pcm.length).as("decoded MP3 length, 8 kHz").isBetween(8000 * 27 / 10, 8000 * 37 / 10);
        assertThat(Goertzel.share(pcm, 0, pcm.length, 8000, 440)).as("caller's tone").isGreaterThan(0.15);
        assertThat(Goertzel.share(pcm, 0, pcm.length, 8000, 1000)).as("callee's tone").isGreaterThan(0.15);
    }

    private void assertThatQueryFails(String callId) {
        try {
            command("query", callId, null, null, null, Map.of());
            throw new AssertionError("query of a deleted call answered");
        } catch (NgClient.NgException e) {
            assertThat(e.getMessage()).contains("Unknown call-id");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static short[] decode(List<DatagramPacket> packets) {
        short[] out = new short[packets.size() * 160];
        int n = 0;
        for (DatagramPacket p : packets) {
            int len = Math.min(160, p.getLength() - 12);
            G711.decodeUlaw(p.getData(), 12, len, out, n);
            n += len;
        }
        return out;
    }

    private static double rms(short[] s) {
        double sum = 0;
        for (short v : s) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum / Math.max(1, s.length));
    }
}
