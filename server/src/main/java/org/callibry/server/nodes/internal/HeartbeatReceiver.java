package org.callibry.server.nodes.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.util.Arrays;
import org.callibry.server.nodes.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On a signaling node: receives media-node {@link Heartbeat}s on UDP {@code callibry.media.node.heartbeat-port},
 * verifies them and hands them to {@link NodeRegistry}. Refused heartbeats are counted and logged at
 * most once a minute per reason, so a misconfigured secret shows up without flooding the log.
 */
@Component
class HeartbeatReceiver implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatReceiver.class);

    private final NodeProperties properties;
    private final NodeRegistry nodes;
    private final boolean enabled;
    private final Clock clock;
    private final Counter accepted;
    private final Counter refused;
    private volatile DatagramSocket socket;
    private volatile Thread receiver;
    private long lastWarning;

    @Autowired
    HeartbeatReceiver(NodeProperties properties, NodeRegistry nodes, Roles roles, MeterRegistry meters) {
        this(properties, nodes, roles.signaling() && properties.heartbeatPort() > 0, Clock.systemUTC(), meters);
    }

    HeartbeatReceiver(NodeProperties properties, NodeRegistry nodes, boolean enabled, Clock clock, MeterRegistry meters) {
        this.properties = properties;
        this.nodes = nodes;
        this.enabled = enabled;
        this.clock = clock;
        this.accepted = Counter.builder("callibry.media.heartbeats.accepted").description("media-node heartbeats accepted")
                .register(meters);
        this.refused = Counter.builder("callibry.media.heartbeats.refused")
                .description("media-node heartbeats refused (malformed, bad mac, stale, untrusted source, replayed)")
                .register(meters);
    }

    @Override
    public synchronized void start() {
        if (!enabled || socket != null) {
            return;
        }
        InetSocketAddress bind = new InetSocketAddress(properties.heartbeatBindAddress(), properties.heartbeatPort());
        try {
            socket = new DatagramSocket(bind);
        } catch (SocketException e) {
            throw new IllegalStateException("Cannot receive media-node heartbeats on " + bind + ": " + e.getMessage(), e);
        }
        DatagramSocket s = socket;
        receiver = Thread.ofPlatform().name("media-heartbeats").daemon().start(() -> receive(s));
        log.info("Receiving media-node heartbeats on udp {}", s.getLocalSocketAddress());
    }

    @Override
    public synchronized void stop() {
        DatagramSocket s = socket;
        socket = null;
        if (s != null) {
            s.close();
            try {
                receiver.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return socket != null;
    }

    /** The bound port, or 0 when not running. */
    int localPort() {
        DatagramSocket s = socket;
        return s == null ? 0 : s.getLocalPort();
    }

    private void receive(DatagramSocket s) {
        byte[] buf = new byte[Heartbeat.MAX_SIZE + 1];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        byte[] secret = properties.secretBytes();
        while (!s.isClosed()) {
            try {
                packet.setData(buf);
                s.receive(packet);
                handle(Arrays.copyOf(buf, packet.getLength()), packet.getLength(), (InetSocketAddress) packet.getSocketAddress(),
                        secret);
            } catch (IOException e) {
                if (!s.isClosed()) {
                    log.debug("Heartbeat receive failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                log.warn("Heartbeat handling failed", e);
            }
        }
    }

    void handle(byte[] datagram, int len, InetSocketAddress source, byte[] secret) {
        try {
            Heartbeat.Announcement a = Heartbeat.verify(datagram, len, source.getAddress(), secret, clock.instant(),
                    properties.maxClockSkew());
            if (nodes.announced(a)) {
                accepted.increment();
            } else {
                refused.increment();
            }
        } catch (Heartbeat.Rejected e) {
            refused.increment();
            long now = System.nanoTime();
            if (lastWarning == 0 || now - lastWarning > 60_000_000_000L) {
                lastWarning = now;
                log.warn("{} (further refusals within a minute are only counted)", e.getMessage());
            } else {
                log.debug(e.getMessage());
            }
        }
    }
}
