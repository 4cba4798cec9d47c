package org.callibry.server.nodes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.callibry.server.nodes.MediaNode;
import org.callibry.shared.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A media node's heartbeat sender and a signaling node's receiver and registry, on loopback in one JVM.
 * Scenarios: the node appears with its id, addresses and capacity; its load follows its NodeLoad; after
 * the sender dies silently the node is dead within dead-after plus an interval; after a graceful stop
 * (leaving) it is dead at once; a sender with another secret never appears.
 */
class HeartbeatIT {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final Duration DEAD_AFTER = Duration.ofMillis(600);

    private HeartbeatReceiver receiver;
    private HeartbeatSender sender;

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.stop(false);
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    private static NodeProperties props(String id, int heartbeatPort, List<String> signaling, String secret) {
        return new NodeProperties(id, "127.0.0.1:42001", "127.0.0.1:5080", 50, signaling, INTERVAL, DEAD_AFTER,
                Duration.ofMinutes(10), secret, Duration.ofSeconds(5), heartbeatPort, "127.0.0.1", List.of(), 1000);
    }

    private NodeRegistry signalingNode(String secret) {
        int port = FreePorts.udpAndTcp();
        NodeProperties p = props("signaling", port, List.of(), secret);
        NodeRegistry nodes = new NodeRegistry(p, false, () -> 0, Clock.systemUTC());
        receiver = new HeartbeatReceiver(p, nodes, true, Clock.systemUTC(), new SimpleMeterRegistry());
        receiver.start();
        assertThat(receiver.localPort()).isEqualTo(port);
        return nodes;
    }

    private HeartbeatSender mediaNode(String id, String secret, AtomicInteger load) {
        NodeProperties p = props(id, 0, List.of("127.0.0.1:" + receiver.localPort()), secret);
        HeartbeatSender s = new HeartbeatSender(p, true, load::get, Clock.systemUTC());
        s.start();
        return s;
    }

    @Test
    void aNodeAppearsFollowsItsLoadAndDiesWhenItStopsSending() throws Exception {
        NodeRegistry nodes = signalingNode("shared-secret");
        AtomicInteger load = new AtomicInteger(3);
        sender = mediaNode("media-a", "shared-secret", load);

        Eventually.within(Duration.ofSeconds(3), "node announced", () -> nodes.node("media-a").isPresent());
        MediaNode n = nodes.pick().orElseThrow();
        assertThat(n.id()).isEqualTo("media-a");
        assertThat(n.kind()).isEqualTo(MediaNode.Kind.ANNOUNCED);
        assertThat(n.ngAddress().getPort()).isEqualTo(42001);
        assertThat(n.sipAddress()).isEqualTo("127.0.0.1:5080");
        assertThat(n.capacity()).isEqualTo(50);
        assertThat(n.load()).isEqualTo(3);

        load.set(40);
        Eventually.within(Duration.ofSeconds(2), "load reported", () -> nodes.node("media-a").orElseThrow().load() == 40);

        sender.stop(false); // dies without a word
        Duration dead = Eventually.within(Duration.ofSeconds(5), "node dead",
                () -> !nodes.node("media-a").orElseThrow().healthy());
        assertThat(dead).isLessThanOrEqualTo(DEAD_AFTER.plus(INTERVAL));
        assertThat(nodes.pick()).isEmpty();

        sender = mediaNode("media-a", "shared-secret", load);
        Eventually.within(Duration.ofSeconds(3), "node back", () -> nodes.pick().isPresent());
        sender.stop(); // graceful: the last heartbeat says it is leaving
        Duration gone = Eventually.within(Duration.ofSeconds(1), "leaving node dead", () -> nodes.pick().isEmpty());
        assertThat(gone).isLessThan(DEAD_AFTER);
    }

    @Test
    void aNodeWithAnotherSecretNeverAppears() throws Exception {
        NodeRegistry nodes = signalingNode("shared-secret");
        sender = mediaNode("intruder", "guess", new AtomicInteger());
        HeartbeatSender good = mediaNode("good", "shared-secret", new AtomicInteger());
        try {
            Eventually.within(Duration.ofSeconds(3), "good node announced", () -> nodes.node("good").isPresent());
            Thread.sleep(3 * INTERVAL.toMillis());
            assertThat(nodes.nodes()).extracting(MediaNode::id).containsExactly("good");
        } finally {
            good.stop(false);
        }
    }
}
