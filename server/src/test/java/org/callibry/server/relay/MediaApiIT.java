package org.callibry.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.nodes.ng.Bencode;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.SystemInfo;
import org.callibry.shared.stun.StunMessage;
import org.junit.jupiter.api.Test;

/**
 * The running server's media side over real sockets. Scenarios: the STUN server answers a Binding
 * request (RFC 5389 and RFC 3489 forms) with the client socket's own address; {@code system.nodes}
 * lists the local node for admin and supervisor, not for an operator; a media node announcing itself
 * to the heartbeat port shows up in {@code system.nodes} with its load.
 */
class MediaApiIT extends ApiTestSupport {

    private static byte[] exchange(DatagramSocket socket, byte[] request) throws Exception {
        socket.setSoTimeout(2000);
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), STUN_PORT);
        byte[] buf = new byte[1500];
        for (int attempt = 0; ; attempt++) {
            socket.send(new DatagramPacket(request, request.length, server));
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(reply);
                return Arrays.copyOf(buf, reply.getLength());
            } catch (java.net.SocketTimeoutException e) {
                if (attempt == 2) {
                    throw e;
                }
            }
        }
    }

    @Test
    void stunAnswersWithTheClientsOwnAddress() throws Exception {
        byte[] tid = new byte[12];
        ThreadLocalRandom.current().nextBytes(tid);
        // Binding request, no attributes, magic cookie (RFC 5389 §6)
        byte[] request = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442).put(tid).array();
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] raw = exchange(client, request);
            StunMessage response = StunMessage.decode(raw, 0, raw.length);
            assertThat(response.type()).isEqualTo(0x0101);
            assertThat(response.transactionId()).isEqualTo(tid);
            InetSocketAddress mapped = response.xorMappedAddress(response.attribute(StunMessage.XOR_MAPPED_ADDRESS).value());
            assertThat(mapped).isEqualTo(client.getLocalSocketAddress());
        }
    }

    @Test
    void stunAnswersAnRfc3489ClientWithMappedAddress() throws Exception {
        byte[] tid = new byte[16];
        ThreadLocalRandom.current().nextBytes(tid);
        tid[0] = 0x55; // not the magic cookie
        byte[] request = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0).put(tid).array();
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] raw = exchange(client, request);
            assertThat(Arrays.copyOfRange(raw, 4, 20)).isEqualTo(tid);
            StunMessage response = StunMessage.decode(raw, 0, raw.length);
            assertThat(StunMessage.mappedAddress(response.attribute(StunMessage.MAPPED_ADDRESS).value()))
                    .isEqualTo(client.getLocalSocketAddress());
        }
    }

    @Test
    void systemNodesListsTheLocalNodeForAdminsAndSupervisors() {
        SystemInfo.Nodes nodes = admin().nodes();
        SystemInfo.Node local = nodes.nodes().stream().filter(n -> n.kind().equals("LOCAL")).findFirst().orElseThrow();
        assertThat(local.id()).isEqualTo("api-it-node");
        assertThat(local.ngAddress()).isEqualTo("127.0.0.1:" + NG_PORT);
        assertThat(local.healthy()).isTrue();
        assertThat(local.capacity()).isEqualTo(1000);
        Fixture f = fixture();
        assertThat(as(f.supervisor()).nodes().nodes()).isNotEmpty();
        assertThatThrownBy(() -> as(f.operator()).nodes()).isInstanceOfSatisfying(RpcErrorException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.FORBIDDEN));
    }

    @Test
    void anAnnouncedNodeShowsUpInSystemNodes() throws Exception {
        Map<String, Object> beat = new LinkedHashMap<>();
        beat.put("v", 1);
        beat.put("id", "remote-media-1");
        beat.put("ng", "127.0.0.1:42999");
        beat.put("sip", "");
        beat.put("capacity", 200);
        beat.put("load", 17);
        beat.put("ts", System.currentTimeMillis());
        beat.put("leaving", 0);
        beat.put("mac", "");
        byte[] datagram = Bencode.encode(beat);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), HEARTBEAT_PORT));
        }
        long deadline = System.currentTimeMillis() + 3000;
        SystemInfo.Node remote = null;
        while (remote == null && System.currentTimeMillis() < deadline) {
            remote = admin().nodes().nodes().stream().filter(n -> n.id().equals("remote-media-1")).findFirst().orElse(null);
            Thread.sleep(50);
        }
        assertThat(remote).as("announced node listed").isNotNull();
        assertThat(remote.kind()).isEqualTo("ANNOUNCED");
        assertThat(remote.ngAddress()).isEqualTo("127.0.0.1:42999");
        assertThat(remote.sipAddress()).isNull();
        assertThat(remote.capacity()).isEqualTo(200);
        assertThat(remote.load()).isEqualTo(17);
        assertThat(remote.lastSeen()).isNotNull();
    }
}
