package org.callibry.server.relay.internal;

import org.callibry.server.relay.internal.NgServer;
import org.callibry.server.relay.internal.NodeRelay;
import org.callibry.server.relay.internal.Relay;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.callibry.server.nodes.Roles;
import org.callibry.server.recording.CallRecordings;
import org.callibry.server.relay.rtp.MediaClock;
import org.callibry.server.relay.rtp.MediaProperties;
import org.callibry.server.relay.rtp.MusicOnHold;
import org.callibry.server.relay.rtp.Player;
import org.callibry.server.relay.rtp.RtpNetwork;
import org.callibry.server.relay.rtp.RtpPlane;
import org.callibry.server.relay.rtp.RtpStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This node's media plane: the RTP ports and their threads, the media clock, the relay and its ng
 * control socket. Starts before SIP and stops after it; runs only in a process with role {@code media}.
 * The signaling of the same process drives it in-process ({@link NodeRelay}).
 */
@Component
@EnableConfigurationProperties(MediaProperties.class)
class MediaPlane implements SmartLifecycle, RtpPlane {
    private static final Logger log = LoggerFactory.getLogger(MediaPlane.class);

    private final MediaProperties properties;
    private final String ngAddress;
    private final CallRecordings recorders;
    private final MusicOnHold music;
    private final Roles roles;
    private volatile RtpNetwork network;
    private volatile MediaClock clock;
    private volatile Relay relay;
    private volatile NgServer ng;
    private volatile String advertised;

    MediaPlane(MediaProperties properties, @Value("${callibry.media.node.ng-address:127.0.0.1:2223}") String ngAddress,
               MeterRegistry meters, CallRecordings recorders, MusicOnHold music, Roles roles) {
        this.roles = roles;
        this.properties = properties;
        this.recorders = recorders;
        this.music = music;
        this.ngAddress = ngAddress;
        Gauge.builder("callibry.media.relay.calls", this, MediaPlane::activeCalls)
                .description("calls the relay of this node carries").register(meters);
        FunctionCounter.builder("callibry.media.relay.packets", this, p -> p.relay == null ? 0 : p.relay.forwarded.sum())
                .description("RTP packets relayed from one party to the other").register(meters);
    }

    @Override
    public void start() {
        if (!properties.enabled() || !roles.media()) {
            log.info("Media plane off ({})", properties.enabled() ? "roles " + roles : "callibry.media.enabled=false");
            return;
        }
        try {
            advertised = advertisedAddress();
            network = new RtpNetwork(InetAddress.getByName(properties.bindAddress()), properties.portMin(),
                    properties.portMax(), properties.threads());
            clock = new MediaClock();
            MediaClock c = clock;
            relay = new Relay(network, advertised,
                    (leg, pt, tenant) -> new Player(c, new RtpStream(), leg::sendRtp, pt, music.forTenant(tenant), true, null),
                    (callId, flags) -> {
                        CallRecordings.Recorder r = recorders.start(callId, flags.tenantId(), flags.aNumber(), flags.bNumber(), flags.stereo());
                        return new Relay.Recording() {
                            @Override
                            public void packet(int side, long nanos, int pt, byte[] payload, int offset, int length) {
                                r.packet(side, nanos, pt, payload, offset, length);
                            }

                            @Override
                            public void close(String error) {
                                r.close(error);
                            }
                        };
                    });
            if (!ngAddress.isBlank()) {
                ng = new NgServer(relay, parse(ngAddress));
            }
            log.info("Media relay on {} ports {}-{} (advertised {}), ng control on {}", properties.bindAddress(),
                    properties.portMin(), properties.portMax(), advertised, ng == null ? "none" : ng.address());
        } catch (IOException e) {
            stop();
            throw new IllegalStateException("Cannot start the media plane: " + e.getMessage(), e);
        }
    }

    static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port, got " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private String advertisedAddress() throws SocketException {
        if (!properties.advertisedAddress().isBlank()) {
            return properties.advertisedAddress();
        }
        if (!properties.bindAddress().equals("0.0.0.0")) {
            return properties.bindAddress();
        }
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (InetAddress a : ni.inetAddresses().toList()) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        }
        return "127.0.0.1";
    }

    @Override
    public void stop() {
        if (ng != null) {
            ng.close();
            ng = null;
        }
        Relay r = relay;
        if (r != null) {
            for (String id : r.calls().keySet()) {
                r.delete(id, "shutdown");
            }
        }
        if (clock != null) {
            clock.close();
            clock = null;
        }
        if (network != null) {
            network.close();
            network = null;
        }
        relay = null;
    }

    @Override
    public boolean isRunning() {
        return relay != null;
    }

    @Override
    public int getPhase() {
        return 90; // before SIP (100) starts, after it stops
    }

    @Override
    public RtpNetwork network() {
        return network;
    }

    @Override
    public MediaClock clock() {
        return clock;
    }

    @Override
    public String advertised() {
        return advertised;
    }

    @Override
    public int activeCalls() {
        Relay r = relay;
        return r == null ? 0 : r.activeCalls();
    }

    Relay relay() {
        return relay;
    }
}
