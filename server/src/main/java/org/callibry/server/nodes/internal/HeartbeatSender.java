package org.callibry.server.nodes.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.callibry.server.nodes.NodeLoad;
import org.callibry.server.nodes.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On a media node: sends a {@link Heartbeat} to every signaling node of {@code callibry.media.node.signaling}
 * each heartbeat interval, and a last one marked {@code leaving} when the process stops, so the
 * signaling nodes stop sending it calls at once rather than after {@code dead-after}. Runs only when
 * the process has role {@code media} and the list is not empty.
 */
@Component
class HeartbeatSender implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatSender.class);

    private final NodeProperties properties;
    private final boolean enabled;
    private final NodeLoad load;
    private final Clock clock;
    private final String id;
    private volatile DatagramSocket socket;
    private ScheduledExecutorService timer;

    @Autowired
    HeartbeatSender(NodeProperties properties, Roles roles, ObjectProvider<NodeLoad> load) {
        this(properties, roles.media() && !properties.signaling().isEmpty(), () -> load.getIfUnique(() -> () -> 0).activeSessions(),
                Clock.systemUTC());
    }

    HeartbeatSender(NodeProperties properties, boolean enabled, NodeLoad load, Clock clock) {
        this.properties = properties;
        this.enabled = enabled;
        this.load = load;
        this.clock = clock;
        this.id = properties.nodeId();
    }

    @Override
    public synchronized void start() {
        if (!enabled || socket != null) {
            return;
        }
        try {
            socket = new DatagramSocket();
        } catch (SocketException e) {
            throw new IllegalStateException("Cannot open the heartbeat socket: " + e.getMessage(), e);
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("media-heartbeat").daemon().factory());
        long every = properties.heartbeatInterval().toMillis();
        timer.scheduleAtFixedRate(() -> send(false), 0, every, TimeUnit.MILLISECONDS);
        log.info("Media node '{}' announcing itself to {} every {} ms{}", id, properties.signaling(), every,
                properties.secretBytes() == null ? " (no secret: only loopback receivers accept it)" : "");
    }

    @Override
    public void stop() {
        stop(true);
    }

    /** Stops sending; with {@code leaving} a last heartbeat says so (a crash sends nothing). */
    synchronized void stop(boolean leaving) {
        if (socket == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (leaving) {
            send(true);
        }
        socket.close();
        socket = null;
    }

    @Override
    public boolean isRunning() {
        return socket != null;
    }

    @Override
    public int getPhase() {
        return 200; // starts after the relay and the SIP stack, stops before them
    }

    private void send(boolean leaving) {
        DatagramSocket s = socket;
        if (s == null) {
            return;
        }
        try {
            byte[] datagram = Heartbeat.encode(new Heartbeat.Announcement(id, properties.ngAddress().strip(),
                    properties.sipAddress().strip(), properties.capacity(), Math.max(0, load.activeSessions()),
                    clock.instant(), leaving), properties.secretBytes());
            for (String target : List.copyOf(properties.signaling())) {
                try {
                    InetSocketAddress to = NodeProperties.parseAddress(target); // resolved again: DNS may move it
                    s.send(new DatagramPacket(datagram, datagram.length, to));
                } catch (IOException | IllegalArgumentException e) {
                    log.debug("Heartbeat to {} not sent: {}", target, e.toString());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Heartbeat failed", e);
        }
    }
}
