package org.callibry.server.nodes.internal;

import org.callibry.server.nodes.ng.Bencode;
import org.callibry.server.nodes.ng.NgClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.callibry.server.nodes.MediaNode;
import org.callibry.shared.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stock rtpengine daemon (Debian package {@code rtpengine-daemon}) as a static media node. Scenarios:
 * the ng client pings it and gets pong; an unknown call's query is an error with rtpengine's reason;
 * the node monitor marks it healthy and pick() returns it; after it is killed it is dead within
 * dead-after plus one ping interval. Fails, rather than skips, when rtpengine is not installed.
 */
class RtpengineIT {
    private static final Path RTPENGINE = Path.of("/usr/bin/rtpengine");
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration DEAD_AFTER = Duration.ofMillis(1500);

    private Process rtpengine;
    private NgClient ng;
    private NodeMonitor monitor;

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.stop();
        }
        if (ng != null) {
            ng.close();
        }
        if (rtpengine != null) {
            rtpengine.destroyForcibly();
        }
    }

    private InetSocketAddress startRtpengine() throws Exception {
        assertThat(Files.isExecutable(RTPENGINE))
                .as("%s is missing: install the Debian package rtpengine-daemon (scripts/test-packages.txt)", RTPENGINE)
                .isTrue();
        int port = FreePorts.udpAndTcp();
        int rtpMin = 30000 + 2 * ThreadLocalRandom.current().nextInt(4000);
        rtpengine = new ProcessBuilder(RTPENGINE.toString(), "--config-file=none", "--table=-1", "--interface=127.0.0.1",
                "--listen-ng=127.0.0.1:" + port, "--port-min=" + rtpMin, "--port-max=" + (rtpMin + 99), "--foreground",
                "--log-stderr").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new InetSocketAddress("127.0.0.1", port);
    }

    private NgClient client() throws Exception {
        ng = new NgClient(new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(1), Duration.ofMillis(300), 3);
        return ng;
    }

    @Test
    void answersPingAndReportsErrors() throws Exception {
        InetSocketAddress address = startRtpengine();
        NgClient client = client();
        Eventually.within(Duration.ofSeconds(10), "rtpengine answers ping", () -> {
            try {
                return "pong".equals(Bencode.string(client.command(address, Map.of("command", "ping")).get("result")));
            } catch (NgClient.NgException e) {
                return false;
            }
        });
        try {
            client.command(address, Map.of("command", "query", "call-id", "no-such-call"));
            throw new AssertionError("query of an unknown call succeeded");
        } catch (NgClient.NgException e) {
            assertThat(e.timeout()).isFalse();
            assertThat(e.getMessage()).containsIgnoringCase("unknown call");
        }
    }

    @Test
    void isHealthyWhileItAnswersAndDeadSoonAfterItIsKilled() throws Exception {
        InetSocketAddress address = startRtpengine();
        String id = "127.0.0.1:" + address.getPort();
        NodeProperties p = new NodeProperties("sig", "127.0.0.1:2223", "", 100, List.of(), INTERVAL, DEAD_AFTER,
                Duration.ofMinutes(10), "", Duration.ofSeconds(5), 0, "127.0.0.1", List.of(id), 500);
        NodeRegistry nodes = new NodeRegistry(p, false, () -> 0, java.time.Clock.systemUTC());
        monitor = new NodeMonitor(p, nodes, client(), true);
        assertThat(nodes.pick()).as("not healthy before its first pong").isEmpty();
        monitor.start();

        Eventually.within(Duration.ofSeconds(10), "static node healthy", () -> nodes.pick().isPresent());
        MediaNode n = nodes.pick().orElseThrow();
        assertThat(n.id()).isEqualTo(id);
        assertThat(n.kind()).isEqualTo(MediaNode.Kind.STATIC);
        assertThat(n.capacity()).isEqualTo(500);
        assertThat(n.ngAddress()).isEqualTo(address);

        Thread.sleep(2 * DEAD_AFTER.toMillis());
        assertThat(nodes.node(id).orElseThrow().healthy()).as("stays healthy while it answers").isTrue();

        rtpengine.destroyForcibly().waitFor();
        Duration dead = Eventually.within(Duration.ofSeconds(10), "static node dead",
                () -> !nodes.node(id).orElseThrow().healthy());
        assertThat(dead).isLessThanOrEqualTo(DEAD_AFTER.plus(INTERVAL));
        assertThat(nodes.pick()).isEmpty();
    }
}
