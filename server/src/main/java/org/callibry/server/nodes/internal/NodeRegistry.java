package org.callibry.server.nodes.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.callibry.server.nodes.MediaNode;
import org.callibry.server.nodes.NodeLoad;
import org.callibry.server.nodes.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.callibry.server.nodes.MediaNodes;
import org.springframework.stereotype.Component;

/**
 * The media nodes a signaling node can send calls to: the local node (when this process has role
 * {@code media} too; always healthy), nodes that announce themselves by heartbeat, and static rtpengine
 * daemons checked by ng ping. A node not heard from for {@code dead-after} is unhealthy; an announced node
 * dead for {@code forget-after} is dropped. {@link #pick()} chooses the healthy node with the lowest
 * load per capacity that is not full, round-robin among equals; {@link #assigned}/{@link #released}
 * count the calls sent to a node between two of its heartbeats (for a static node: all its calls).
 * Thread-safe; every method is a few microseconds under one lock.
 */
@Component
class NodeRegistry implements MediaNodes {
    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);

    private final NodeProperties properties;
    private final Clock clock;
    private final NodeLoad localLoad;
    private final Map<String, Entry> nodes = new LinkedHashMap<>();
    /** The nodes' SIP addresses, rebuilt under the lock on every change and read without it. */
    private volatile Set<String> sipAddresses = Set.of();
    private long turn;

    /** Mutable state of one node. */
    private static final class Entry {
        final String id;
        final MediaNode.Kind kind;
        InetSocketAddress ngAddress;
        String sipAddress;
        int capacity;
        int reportedLoad;
        /** Calls assigned minus released since the last report (may be negative). */
        int pending;
        Instant lastSeen;
        Instant lastTimestamp;
        boolean leaving;

        Entry(String id, MediaNode.Kind kind, InetSocketAddress ngAddress, int capacity) {
            this.id = id;
            this.kind = kind;
            this.ngAddress = ngAddress;
            this.capacity = capacity;
        }
    }

    @Autowired
    NodeRegistry(NodeProperties properties, Roles roles, ObjectProvider<NodeLoad> load, MeterRegistry meters) {
        // looked up on first use: the load bean depends on the media server, which asks this registry for nodes
        this(properties, roles.media(), new LazyLoad(load), Clock.systemUTC());
        Gauge.builder("callibry.media.nodes.healthy", this, n -> n.nodes().stream().filter(MediaNode::healthy).count())
                .description("media nodes that can take calls").register(meters);
        Gauge.builder("callibry.media.nodes", this, n -> n.nodes().size()).description("media nodes known").register(meters);
    }

    NodeRegistry(NodeProperties properties, boolean local, NodeLoad localLoad, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.localLoad = localLoad;
        if (local) {
            Entry e = new Entry(properties.nodeId(), MediaNode.Kind.LOCAL, properties.ngSocketAddress(), properties.capacity());
            e.sipAddress = properties.sipAddress().isBlank() ? null : properties.sipAddress().strip();
            nodes.put(e.id, e);
        }
        for (String s : properties.staticNodes()) {
            InetSocketAddress ng = NodeProperties.parseAddress(s);
            String id = NodeProperties.format(ng);
            nodes.putIfAbsent(id, new Entry(id, MediaNode.Kind.STATIC, ng, properties.staticCapacity()));
        }
        indexSipAddresses();
    }

    /** Every known node, healthy or not: local first, then announced, then static, each by id. */
    @Override
    public synchronized List<MediaNode> nodes() {
        Instant now = clock.instant();
        forgetDead(now);
        return nodes.values().stream().map(e -> snapshot(e, now))
                .sorted(Comparator.comparing(MediaNode::kind).thenComparing(MediaNode::id)).toList();
    }

    @Override
    public boolean hasSipAddress(String hostPort) {
        return sipAddresses.contains(hostPort);
    }

    private void indexSipAddresses() {
        sipAddresses = nodes.values().stream().map(e -> e.sipAddress).filter(Objects::nonNull)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The node with this id, if known. */
    @Override
    public synchronized Optional<MediaNode> node(String id) {
        Entry e = nodes.get(id);
        return e == null ? Optional.empty() : Optional.of(snapshot(e, clock.instant()));
    }

    /**
     * The healthy node with the lowest load per capacity that has room for one more call; among equals
     * the next in turn. Empty when no node can take a call. Call {@link #assigned} once the node took it.
     */
    @Override
    public synchronized Optional<MediaNode> pick() {
        Instant now = clock.instant();
        List<MediaNode> best = new ArrayList<>();
        double bestRatio = Double.POSITIVE_INFINITY;
        for (Entry e : nodes.values()) {
            MediaNode n = snapshot(e, now);
            if (!n.healthy() || n.load() >= n.capacity()) {
                continue;
            }
            double ratio = n.utilisation();
            if (ratio < bestRatio) {
                bestRatio = ratio;
                best.clear();
            }
            if (ratio == bestRatio) {
                best.add(n);
            }
        }
        if (best.isEmpty()) {
            return Optional.empty();
        }
        best.sort(Comparator.comparing(MediaNode::id));
        return Optional.of(best.get((int) (turn++ % best.size())));
    }

    /** A call was sent to {@code node}: it counts in the node's load until its next heartbeat reports it. */
    @Override
    public synchronized void assigned(MediaNode node) {
        Entry e = nodes.get(node.id());
        if (e != null && e.kind != MediaNode.Kind.LOCAL) {
            e.pending++;
        }
    }

    /** A call on {@code node} ended (or was refused by it). */
    @Override
    public synchronized void released(MediaNode node) {
        Entry e = nodes.get(node.id());
        if (e != null && e.kind != MediaNode.Kind.LOCAL) {
            e.pending--;
        }
    }

    /**
     * A verified heartbeat arrived; false when it is not newer than the last one of the node (a replay
     * or reordering) or names the local node.
     */
    synchronized boolean announced(Heartbeat.Announcement a) {
        Entry e = nodes.get(a.id());
        if (e != null && e.kind != MediaNode.Kind.ANNOUNCED) {
            log.warn("Heartbeat for media node '{}' ignored: that id is the {} node", a.id(), e.kind);
            return false;
        }
        if (e != null && e.lastTimestamp != null && !a.timestamp().isAfter(e.lastTimestamp)) {
            return false;
        }
        InetSocketAddress ng = NodeProperties.parseAddress(a.ngAddress());
        if (e == null) {
            e = new Entry(a.id(), MediaNode.Kind.ANNOUNCED, ng, a.capacity());
            nodes.put(e.id, e);
            log.info("Media node '{}' announced itself: ng {}, capacity {}", a.id(), a.ngAddress(), a.capacity());
        }
        e.ngAddress = ng;
        e.sipAddress = a.sipAddress();
        e.capacity = a.capacity();
        e.reportedLoad = a.load();
        e.pending = 0;
        e.lastTimestamp = a.timestamp();
        e.leaving = a.leaving();
        e.lastSeen = clock.instant();
        indexSipAddresses();
        return true;
    }

    /** A static node answered an ng ping. */
    synchronized void pinged(String id) {
        Entry e = nodes.get(id);
        if (e != null && e.kind == MediaNode.Kind.STATIC) {
            e.lastSeen = clock.instant();
        }
    }

    /** The ng addresses of the static nodes, by id. */
    synchronized Map<String, InetSocketAddress> staticNodes() {
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        nodes.values().stream().filter(e -> e.kind == MediaNode.Kind.STATIC).forEach(e -> out.put(e.id, e.ngAddress));
        return out;
    }

    private MediaNode snapshot(Entry e, Instant now) {
        if (e.kind == MediaNode.Kind.LOCAL) {
            return new MediaNode(e.id, e.ngAddress, e.sipAddress, e.capacity, Math.max(0, localLoad.activeSessions()), true,
                    now, e.kind);
        }
        boolean healthy = e.lastSeen != null && !e.leaving && !now.isAfter(e.lastSeen.plus(properties.deadAfter()));
        return new MediaNode(e.id, e.ngAddress, e.sipAddress, e.capacity, Math.max(0, e.reportedLoad + e.pending), healthy,
                e.lastSeen, e.kind);
    }

    private void forgetDead(Instant now) {
        boolean forgotten = nodes.values().removeIf(e -> {
            boolean forget = e.kind == MediaNode.Kind.ANNOUNCED && e.lastSeen != null
                    && now.isAfter(e.lastSeen.plus(properties.deadAfter()).plus(properties.forgetAfter()));
            if (forget) {
                log.info("Media node '{}' forgotten: not heard from since {}", e.id, e.lastSeen);
            }
            return forget;
        });
        if (forgotten) {
            indexSipAddresses();
        }
    }

    /**
     * The local media server's load, resolved from the context once it exists (a bean lookup costs
     * microseconds, and the load is read for every call); 0 until then.
     */
    private static final class LazyLoad implements NodeLoad {
        private final ObjectProvider<NodeLoad> provider;
        private volatile NodeLoad resolved;

        LazyLoad(ObjectProvider<NodeLoad> provider) {
            this.provider = provider;
        }

        @Override
        public int activeSessions() {
            NodeLoad load = resolved;
            if (load == null) {
                load = provider.getIfUnique();
                if (load == null) {
                    return 0;
                }
                resolved = load;
            }
            return load.activeSessions();
        }
    }
}
