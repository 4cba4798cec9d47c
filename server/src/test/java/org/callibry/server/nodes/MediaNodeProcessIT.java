package org.callibry.server.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.callibry.server.CallibryServer;
import org.callibry.server.nodes.ng.Bencode;
import org.callibry.shared.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The server started with {@code callibry.roles=media}: a media node. Scenarios: it runs no SIP
 * (its SIP port stays free), it announces itself every interval to the configured signaling address
 * with its id, ng address, capacity and load, and its last heartbeat on shutdown says it is leaving.
 */
class MediaNodeProcessIT {
    @TempDir
    Path dataDir;

    @Test
    void aMediaOnlyProcessRunsNoSipAndAnnouncesItself() throws Exception {
        int sipPort = FreePorts.udpAndTcp();
        try (DatagramSocket signaling = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            signaling.setSoTimeout(10_000);
            Map<String, Object> beat;
            try (ConfigurableApplicationContext ctx = SpringApplication.run(CallibryServer.class, "--server.port=0",
                    "--callibry.roles=media", "--callibry.data-dir=" + dataDir, "--callibry.demo.enabled=false",
                    "--callibry.sip.bind-address=127.0.0.1", "--callibry.sip.port=" + sipPort,
                    "--callibry.sip.tls-port=" + FreePorts.udpAndTcp(), "--callibry.media.stun.port=0",
                    "--callibry.media.bind-address=127.0.0.1", "--callibry.media.sip-port=" + FreePorts.udpAndTcp(),
                    "--callibry.media.node.heartbeat-port=" + FreePorts.udpAndTcp(),
                    "--callibry.media.node.id=media-test-1", "--callibry.media.node.ng-address=127.0.0.1:42223",
                    "--callibry.media.node.capacity=321", "--callibry.media.node.heartbeat-interval=200ms",
                    "--callibry.media.node.signaling=127.0.0.1:" + signaling.getLocalPort())) {
                assertThat(ctx.getBean(Roles.class).signaling()).isFalse();
                beat = receive(signaling);
                assertThat(Bencode.string(beat.get("id"))).isEqualTo("media-test-1");
                assertThat(Bencode.string(beat.get("ng"))).isEqualTo("127.0.0.1:42223");
                assertThat(beat.get("capacity")).isEqualTo(321L);
                assertThat(beat.get("load")).isEqualTo(0L);
                assertThat(beat.get("leaving")).isEqualTo(0L);
                assertThat(receive(signaling).get("ts")).as("heartbeats keep coming").isNotEqualTo(beat.get("ts"));
                try (DatagramSocket sip = new DatagramSocket(sipPort, InetAddress.getLoopbackAddress())) {
                    assertThat(sip.getLocalPort()).as("no SIP listener on a media node").isEqualTo(sipPort);
                }
            }
            Map<String, Object> last = beat;
            while (!last.get("leaving").equals(1L)) {
                last = receive(signaling);
            }
            assertThat(Bencode.string(last.get("id"))).isEqualTo("media-test-1");
        }
    }

    private static Map<String, Object> receive(DatagramSocket s) throws Exception {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        assertThat(new String(buf, 0, 1, StandardCharsets.US_ASCII)).isEqualTo("d");
        return Bencode.decodeDictionary(buf, 0, p.getLength());
    }
}
