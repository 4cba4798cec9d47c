package org.callibry.server.nodes;

import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.MediaServers;
import org.callibry.server.relay.MediaRelay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callibry.server.CallibryServer;
import org.callibry.shared.testing.FreePorts;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.SystemInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A signaling-only node with two media node processes on loopback (each announcing itself by
 * heartbeat): new relayed calls are spread over both; after one is killed (SIGKILL, no goodbye) it is
 * taken out within seconds and every new call goes to the other; media services follow the same way.
 */
class MediaNodeFailoverIT {
    private static final Pattern HEALTHY = Pattern.compile("Callibry healthy in \\d+ ms");

    @TempDir
    Path dir;

    private record Node(Process process, Path data, int portMin) {
    }

    private Node startMediaNode(String id, int heartbeatPort, int portMin) throws Exception {
        Path jar = Path.of("target/callibry-server.jar").toAbsolutePath();
        assertThat(jar).as("mvn package builds the executable jar before the integration tests").exists();
        Path log = dir.resolve(id + ".log");
        int sipPort = FreePorts.udpAndTcp();
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-jar", jar.toString(),
                "--server.port=0", "--callibry.roles=media", "--callibry.demo.enabled=false",
                "--callibry.data-dir=" + dir.resolve(id), "--callibry.media.bind-address=127.0.0.1",
                "--callibry.media.port-min=" + portMin, "--callibry.media.port-max=" + (portMin + 999),
                "--callibry.media.sip-port=" + sipPort, "--callibry.media.node.sip-address=127.0.0.1:" + sipPort,
                "--callibry.media.node.id=" + id, "--callibry.media.node.ng-address=127.0.0.1:" + FreePorts.udpAndTcp(),
                "--callibry.media.node.signaling=127.0.0.1:" + heartbeatPort, "--callibry.media.node.heartbeat-interval=300ms",
                "--callibry.media.stun.port=0", "--callibry.media.node.heartbeat-port=0",
                "--callibry.sip.bind-address=127.0.0.1", "--callibry.sip.port=" + FreePorts.udpAndTcp(),
                "--callibry.sip.tls-port=0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (HEALTHY.matcher(Files.readString(log)).find()) {
                return new Node(p, dir.resolve(id), portMin);
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new AssertionError("media node " + id + " did not start:\n" + Files.readString(log));
    }

    private static void kill(Node n) throws Exception {
        n.process().destroyForcibly();
        n.process().waitFor(10, TimeUnit.SECONDS);
        // its embedded PostgreSQL outlives a SIGKILL: stop it too
        Path pid = n.data().resolve("pgdata/postmaster.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).getFirst().trim())).ifPresent(ProcessHandle::destroy);
        }
    }

    private static String sdp(int port) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    }

    private static int relayPort(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+)").matcher(sdp);
        assertThat(m.find()).as(sdp).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static boolean healthy(CallibryClient admin, String id) {
        return admin.nodes().nodes().stream().anyMatch(n -> n.id().equals(id) && n.healthy());
    }

    @Test
    void callsGoToTheHealthyNodesAndAFailedNodeIsTakenOut() throws Exception {
        int heartbeatPort = FreePorts.udpAndTcp();
        Node m1 = null;
        Node m2 = null;
        try (ConfigurableApplicationContext signaling = SpringApplication.run(CallibryServer.class, "--server.port=0",
                "--callibry.roles=signaling", "--callibry.demo.enabled=false", "--callibry.admin.password=failover-admin",
                "--callibry.data-dir=" + dir.resolve("signaling"), "--callibry.sip.bind-address=127.0.0.1",
                "--callibry.sip.port=" + FreePorts.udpAndTcp(), "--callibry.sip.tls-port=0",
                "--callibry.media.stun.port=0", "--callibry.media.node.heartbeat-port=" + heartbeatPort,
                "--callibry.media.node.heartbeat-bind-address=127.0.0.1", "--callibry.media.node.dead-after=1500ms",
                "--callibry.media.node.ng-address=127.0.0.1:0", "--callibry.media.sip-port=0")) {
            m1 = startMediaNode("m1", heartbeatPort, 31000);
            m2 = startMediaNode("m2", heartbeatPort, 32000);
            int http = Integer.parseInt(signaling.getEnvironment().getProperty("local.server.port"));
            CallibryClient admin = CallibryClient.of(URI.create("http://127.0.0.1:" + http + "/"));
            admin.login("admin", "failover-admin");
            long deadline = System.currentTimeMillis() + 15_000;
            while (!(healthy(admin, "m1") && healthy(admin, "m2")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(admin.nodes().nodes()).extracting(SystemInfo.Node::id).contains("m1", "m2");
            assertThat(healthy(admin, "m1") && healthy(admin, "m2")).as("both media nodes announced themselves").isTrue();

            MediaRelay relay = signaling.getBean(MediaRelay.class);
            MediaRelay.RelayOptions options = new MediaRelay.RelayOptions(false, false, true);
            int onM1 = 0;
            int onM2 = 0;
            for (int i = 0; i < 6; i++) {
                String offer = relay.offer(new MediaRelay.RelayCall("spread-" + i, "a" + i, null, "1", "2"), sdp(40000 + 4 * i), options);
                int port = relayPort(offer);
                onM1 += port >= 31000 && port < 32000 ? 1 : 0;
                onM2 += port >= 32000 && port < 33000 ? 1 : 0;
                String answer = relay.answer(new MediaRelay.RelayCall("spread-" + i, "a" + i, null, "1", "2"), "b" + i,
                        sdp(40002 + 4 * i), options);
                assertThat(relayPort(answer)).as("both sides on the same node").isBetween(port / 1000 * 1000, port / 1000 * 1000 + 999);
            }
            assertThat(onM1 + onM2).isEqualTo(6);
            assertThat(onM1).as("the least-loaded node takes each new call: both get some").isGreaterThan(0);
            assertThat(onM2).isGreaterThan(0);
            assertThat(signaling.getBean(MediaServers.class).uri(CallControl.ECHO, null, "600")).isPresent();

            kill(m1);
            long killed = System.currentTimeMillis();
            while (healthy(admin, "m1") && System.currentTimeMillis() - killed < 10_000) {
                Thread.sleep(100);
            }
            assertThat(healthy(admin, "m1")).as("a silent node is taken out").isFalse();
            assertThat(System.currentTimeMillis() - killed).as("within seconds").isLessThan(5_000);
            for (int i = 0; i < 6; i++) {
                String offer = relay.offer(new MediaRelay.RelayCall("after-" + i, "a" + i, null, "1", "2"), sdp(41000 + 4 * i), options);
                assertThat(relayPort(offer)).as("new calls go to m2").isBetween(32000, 32999);
            }
            for (String kind : List.of(CallControl.ECHO, CallControl.MUSIC_ON_HOLD)) {
                String uri = signaling.getBean(MediaServers.class).uri(kind, null, "600").orElseThrow();
                assertThat(m2.process().isAlive()).isTrue();
                assertThat(uri).as("media services avoid the dead node").doesNotContain(":" + portOf(dir.resolve("m1.log")));
            }
        } finally {
            if (m1 != null) {
                kill(m1);
            }
            if (m2 != null) {
                m2.process().destroy();
                m2.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The media SIP port a node logged at start. */
    private static String portOf(Path log) throws Exception {
        Matcher m = Pattern.compile("Media server SIP endpoint on [^:]+:(\\d+)").matcher(Files.readString(log));
        return m.find() ? m.group(1) : "none";
    }
}
