package org.callibry.server.nodes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.callibry.server.nodes.MediaNode;
import org.callibry.server.testing.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * The media-node registry. Scenarios: pick the least-loaded node by load per capacity; round-robin
 * among equals; calls assigned between heartbeats count and released ones stop counting, and a
 * heartbeat replaces them with the node's own figure; full and dead nodes are not picked; a node is dead
 * after dead-after without heartbeat and healthy again with the next; a leaving node is dead at once;
 * replayed or reordered heartbeats are ignored; the local node is always healthy with the load of
 * {@code NodeLoad}; static nodes are healthy only after a pong; dead announced nodes are forgotten.
 */
class NodeRegistryTest {
    private final MutableClock clock = new MutableClock();

    static NodeProperties properties(List<String> staticNodes) {
        return new NodeProperties("local-1", "127.0.0.1:2223", "127.0.0.1:5080", 100, List.of(), Duration.ofSeconds(1),
                Duration.ofSeconds(3), Duration.ofMinutes(10), "", Duration.ofSeconds(5), 0, "127.0.0.1", staticNodes, 50);
    }

    private NodeRegistry registry(boolean local, AtomicInteger localLoad, String... staticNodes) {
        return new NodeRegistry(properties(List.of(staticNodes)), local, localLoad::get, clock);
    }

    private Heartbeat.Announcement beat(String id, int capacity, int load) {
        return new Heartbeat.Announcement(id, "10.0.0." + id.length() + ":2223", null, capacity, load, clock.instant(), false);
    }

    @Test
    void picksTheNodeWithTheLowestLoadPerCapacity() {
        NodeRegistry nodes = registry(false, new AtomicInteger());
        nodes.announced(beat("a", 100, 50));  // 0.5
        nodes.announced(beat("bb", 1000, 300)); // 0.3
        nodes.announced(beat("ccc", 10, 4)); // 0.4
        assertThat(nodes.pick()).get().extracting(MediaNode::id).isEqualTo("bb");
    }

    @Test
    void takesTurnsAmongEquallyLoadedNodes() {
        NodeRegistry nodes = registry(false, new AtomicInteger());
        nodes.announced(beat("a", 100, 10));
        nodes.announced(beat("b", 200, 20));
        nodes.announced(beat("c", 100, 10));
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picked.add(nodes.pick().orElseThrow().id());
        }
        assertThat(picked).containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void countsCallsAssignedBetweenHeartbeats() {
        NodeRegistry nodes = registry(false, new AtomicInteger());
        nodes.announced(beat("a", 10, 0));
        nodes.announced(beat("b", 10, 1));
        MediaNode first = nodes.pick().orElseThrow();
        assertThat(first.id()).isEqualTo("a");
        nodes.assigned(first);
        nodes.assigned(first);
        assertThat(nodes.node("a")).get().extracting(MediaNode::load).isEqualTo(2);
        assertThat(nodes.pick()).get().extracting(MediaNode::id).isEqualTo("b");
        nodes.released(first);
        nodes.released(first);
        assertThat(nodes.node("a")).get().extracting(MediaNode::load).isEqualTo(0);

        nodes.assigned(first);
        clock.advance(Duration.ofMillis(10));
        nodes.announced(beat("a", 10, 7)); // the node's own count replaces ours
        assertThat(nodes.node("a")).get().extracting(MediaNode::load).isEqualTo(7);
        nodes.released(first); // a call of those 7 ended before the next heartbeat
        assertThat(nodes.node("a")).get().extracting(MediaNode::load).isEqualTo(6);
    }

    @Test
    void neverPicksAFullNode() {
        NodeRegistry nodes = registry(false, new AtomicInteger());
        nodes.announced(beat("a", 2, 1));
        MediaNode a = nodes.pick().orElseThrow();
        nodes.assigned(a);
        assertThat(nodes.pick()).isEmpty();
        nodes.announced(beat("zero", 0, 0));
        assertThat(nodes.pick()).isEmpty();
    }

    @Test
    void aNodeIsDeadAfterDeadAfterWithoutHeartbeatAndBackWithTheNext() {
        NodeRegistry nodes = registry(false, new AtomicInteger());
        nodes.announced(beat("a", 10, 0));
        clock.advance(Duration.ofSeconds(3));
        assertThat(nodes.node("a").orElseThrow().healthy()).isTrue();
        assertThat(nodes.pick()).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(nodes.node("a").orElseThrow().healthy()).isFalse();
        assertThat(nodes.pick()).isEmpty();
        nodes.announced(beat("a", 10, 0));
        assertThat(nodes.pick()).get().extracting(MediaNode::id).isEqualTo("a");
    }

    @Test
    void aLeavingNodeIsDeadAtOnce() {
        NodeRegistry nodes = registry(false, new AtomicInteger());
        nodes.announced(beat("a", 10, 0));
        clock.advance(Duration.ofMillis(100));
        Heartbeat.Announcement last = beat("a", 10, 0);
        nodes.announced(new Heartbeat.Announcement("a", last.ngAddress(), null, 10, 0, last.timestamp(), true));
        assertThat(nodes.node("a").orElseThrow().healthy()).isFalse();
        assertThat(nodes.pick()).isEmpty();
    }

    @Test
    void ignoresHeartbeatsNotNewerThanTheLastOne() {
        NodeRegistry nodes = registry(false, new AtomicInteger());
        Heartbeat.Announcement old = beat("a", 10, 1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(nodes.announced(beat("a", 10, 5))).isTrue();
        assertThat(nodes.announced(old)).isFalse();
        assertThat(nodes.announced(beat("a", 10, 6))).as("same timestamp: a replay").isFalse();
        assertThat(nodes.node("a").orElseThrow().load()).isEqualTo(5);
    }

    @Test
    void theLocalNodeIsAlwaysHealthyWithTheLoadOfNodeLoad() {
        AtomicInteger load = new AtomicInteger(30);
        NodeRegistry nodes = registry(true, load);
        MediaNode local = nodes.nodes().getFirst();
        assertThat(local.kind()).isEqualTo(MediaNode.Kind.LOCAL);
        assertThat(local.id()).isEqualTo("local-1");
        assertThat(local.ngAddress().getPort()).isEqualTo(2223);
        assertThat(local.sipAddress()).isEqualTo("127.0.0.1:5080");
        assertThat(local.load()).isEqualTo(30);
        clock.advance(Duration.ofHours(1));
        assertThat(nodes.pick()).get().extracting(MediaNode::id).isEqualTo("local-1");
        nodes.announced(beat("remote", 100, 10));
        assertThat(nodes.pick()).get().extracting(MediaNode::id).isEqualTo("remote");
        load.set(5);
        assertThat(nodes.pick()).get().extracting(MediaNode::id).isEqualTo("local-1");
        assertThat(nodes.announced(beat("local-1", 100, 0))).as("nobody may pose as the local node").isFalse();
    }

    @Test
    void staticNodesAreHealthyOnlyWhileTheyAnswerPings() {
        NodeRegistry nodes = registry(false, new AtomicInteger(), "127.0.0.1:22222", "[::1]:22223");
        assertThat(nodes.staticNodes()).containsOnlyKeys("127.0.0.1:22222", "[0:0:0:0:0:0:0:1]:22223");
        assertThat(nodes.nodes()).allSatisfy(n -> {
            assertThat(n.kind()).isEqualTo(MediaNode.Kind.STATIC);
            assertThat(n.healthy()).isFalse();
            assertThat(n.lastSeen()).isNull();
            assertThat(n.capacity()).isEqualTo(50);
        });
        assertThat(nodes.pick()).isEmpty();
        nodes.pinged("127.0.0.1:22222");
        MediaNode s = nodes.pick().orElseThrow();
        assertThat(s.id()).isEqualTo("127.0.0.1:22222");
        nodes.assigned(s);
        nodes.assigned(s);
        nodes.pinged("127.0.0.1:22222");
        assertThat(nodes.node(s.id()).orElseThrow().load()).as("a ping does not reset our count").isEqualTo(2);
        clock.advance(Duration.ofMillis(3001));
        assertThat(nodes.pick()).isEmpty();
    }

    @Test
    void forgetsAnnouncedNodesDeadForForgetAfter() {
        NodeRegistry nodes = registry(false, new AtomicInteger(), "127.0.0.1:22222");
        nodes.announced(beat("a", 10, 0));
        clock.advance(Duration.ofSeconds(3).plus(Duration.ofMinutes(10)));
        assertThat(nodes.nodes()).extracting(MediaNode::id).containsExactly("a", "127.0.0.1:22222");
        clock.advance(Duration.ofMillis(1));
        assertThat(nodes.nodes()).extracting(MediaNode::id).containsExactly("127.0.0.1:22222");
    }
}
