package org.callibry.server.nodes.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code callibry.media.node.*}: this process as a media node, and the registry of media nodes on the
 * signaling side (heartbeat receiver, static rtpengine daemons).
 *
 * @param id                   unique name of this media node; empty = host name and ng port ({@code host:2223})
 * @param ngAddress            host:port where this node's ng control protocol listens (the relay binds it)
 * @param sipAddress           host:port of this node's media-server SIP listener, announced to signaling; may be empty
 * @param capacity             calls this node is sized for
 * @param signaling            host:port of the heartbeat receivers of the signaling nodes this media node
 *                             announces itself to; empty = none (all-in-one process)
 * @param heartbeatInterval    how often heartbeats are sent and static nodes pinged
 * @param deadAfter            a node not heard from for this long is dead (no new calls)
 * @param forgetAfter          a dead announced node is dropped from the list after this long
 * @param secret               shared secret of the heartbeat HMAC-SHA256; empty = heartbeats accepted from
 *                             loopback sources only
 * @param maxClockSkew         heartbeats whose timestamp is further than this from the receiver's clock are refused
 * @param heartbeatPort        UDP port of the heartbeat receiver on a signaling node; 0 disables it
 * @param heartbeatBindAddress address the heartbeat receiver binds to
 * @param staticNodes          ng addresses (host:port) of rtpengine daemons that do not announce themselves,
 *                             checked with ng {@code ping}
 * @param staticCapacity       capacity assumed for each static node
 */
@ConfigurationProperties("callibry.media.node")
public record NodeProperties(
        @DefaultValue("") String id,
        @DefaultValue("127.0.0.1:2223") String ngAddress,
        @DefaultValue("") String sipAddress,
        @DefaultValue("1000") int capacity,
        @DefaultValue({}) List<String> signaling,
        @DefaultValue("1s") Duration heartbeatInterval,
        @DefaultValue("3s") Duration deadAfter,
        @DefaultValue("10m") Duration forgetAfter,
        @DefaultValue("") String secret,
        @DefaultValue("5s") Duration maxClockSkew,
        @DefaultValue("2224") int heartbeatPort,
        @DefaultValue("0.0.0.0") String heartbeatBindAddress,
        @DefaultValue({}) List<String> staticNodes,
        @DefaultValue("1000") int staticCapacity) {

    public NodeProperties {
        signaling = signaling == null ? List.of() : signaling.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        staticNodes = staticNodes == null ? List.of() : staticNodes.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (capacity < 0 || staticCapacity < 0 || heartbeatPort < 0 || heartbeatPort > 65535) {
            throw new IllegalArgumentException("callibry.media.node: capacity not negative, heartbeat-port 0-65535");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || deadAfter.compareTo(heartbeatInterval) < 0) {
            throw new IllegalArgumentException("callibry.media.node: heartbeat-interval positive and dead-after at least as long");
        }
        parseAddress(ngAddress); // port 0: any free port (tests)
        for (String a : signaling) {
            if (parseAddress(a).getPort() == 0) {
                throw new IllegalArgumentException("callibry.media.node.signaling needs a port: '" + a + "'");
            }
        }
        for (String a : staticNodes) {
            if (parseAddress(a).getPort() == 0) {
                throw new IllegalArgumentException("callibry.media.node.static-nodes needs a port: '" + a + "'");
            }
        }
    }

    /** This node's id: the configured one, or the host name and the ng port. */
    public String nodeId() {
        if (!id.isBlank()) {
            return id.strip();
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
        }
        return host + ":" + ngSocketAddress().getPort();
    }

    public InetSocketAddress ngSocketAddress() {
        return parseAddress(ngAddress);
    }

    /** The secret as bytes, or null when none is configured. */
    public byte[] secretBytes() {
        return secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code host:port} or {@code [v6]:port}, resolved now; {@link IllegalArgumentException} when it is not one. */
    public static InetSocketAddress parseAddress(String hostPort) {
        String s = hostPort.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("not host:port: '" + hostPort + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("IPv6 address without brackets: '" + hostPort + "'");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + hostPort + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + hostPort + "'");
        }
        return new InetSocketAddress(host, port);
    }

    /** An address as {@code host:port} with the numeric host ({@code [v6]:port} for IPv6). */
    public static String format(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
