package org.callibry.server.nodes.internal;

import org.callibry.server.nodes.ng.Bencode;
import org.callibry.server.nodes.ng.NgClient;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.callibry.server.nodes.MediaNode;
import org.callibry.server.nodes.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On a signaling node: every heartbeat interval, pings each static rtpengine node over ng (a pong makes
 * it healthy for {@code dead-after}), and logs every node that went down or came back.
 */
@Component
class NodeMonitor implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(NodeMonitor.class);

    private final NodeProperties properties;
    private final NodeRegistry nodes;
    private final NgClient ng;
    private final boolean enabled;
    private final Map<String, Boolean> health = new HashMap<>();
    private ScheduledExecutorService timer;
    private ExecutorService pings;

    @Autowired
    NodeMonitor(NodeProperties properties, NodeRegistry nodes, NgClient ng, Roles roles) {
        this(properties, nodes, ng, roles.signaling());
    }

    NodeMonitor(NodeProperties properties, NodeRegistry nodes, NgClient ng, boolean enabled) {
        this.properties = properties;
        this.nodes = nodes;
        this.ng = ng;
        this.enabled = enabled;
    }

    @Override
    public synchronized void start() {
        if (!enabled || timer != null) {
            return;
        }
        pings = Executors.newVirtualThreadPerTaskExecutor();
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("media-nodes").daemon().factory());
        long every = properties.heartbeatInterval().toMillis();
        timer.scheduleAtFixedRate(this::tick, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            pings.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    private void tick() {
        try {
            Duration timeout = properties.heartbeatInterval();
            for (Map.Entry<String, InetSocketAddress> e : nodes.staticNodes().entrySet()) {
                pings.execute(() -> ping(e.getKey(), e.getValue(), timeout));
            }
            for (MediaNode n : nodes.nodes()) {
                Boolean before = health.put(n.id(), n.healthy());
                if (before != null && before != n.healthy()) {
                    if (n.healthy()) {
                        log.info("Media node '{}' ({}) is up again", n.id(), n.kind());
                    } else {
                        log.warn("Media node '{}' ({}) is down: not heard from since {}", n.id(), n.kind(), n.lastSeen());
                    }
                } else if (before == null && n.healthy() && n.kind() == MediaNode.Kind.STATIC) {
                    log.info("Static media node '{}' answers ng ping", n.id());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Media node check failed", e);
        }
    }

    private void ping(String id, InetSocketAddress address, Duration timeout) {
        try {
            Map<String, Object> reply = ng.command(address, Map.of("command", "ping"), timeout);
            if ("pong".equals(Bencode.string(reply.get("result")))) {
                nodes.pinged(id);
            } else {
                log.debug("Static media node {} answered ping with {}", id, Bencode.string(reply.get("result")));
            }
        } catch (NgClient.NgException e) {
            log.debug("Static media node {}: {}", id, e.getMessage());
        }
    }
}
