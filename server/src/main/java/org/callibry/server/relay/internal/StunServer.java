package org.callibry.server.relay.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.callibry.shared.stun.StunMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A STUN server (RFC 5389) for the Binding method only: phones and the softphone learn the address and
 * port their packets come from, to put in SDP and Contact. Answers a Binding request with
 * XOR-MAPPED-ADDRESS (IPv4 or IPv6), or MAPPED-ADDRESS to an RFC 3489 client (no magic cookie); adds
 * SOFTWARE, and FINGERPRINT when the request had one. A request with the magic cookie that breaks the
 * framing rules gets 400, one with comprehension-required attributes we do not know gets 420 with
 * UNKNOWN-ATTRIBUTES. Everything else (not STUN, responses, indications, bad FINGERPRINT, other
 * methods of an RFC 3489 client) is dropped silently, and each source address is held to a token bucket
 * so a flood costs a bounded amount of work. No authentication: Binding reveals only the sender's own
 * address (RFC 5389 §10).
 */
@Component
public class StunServer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(StunServer.class);
    /** Most source addresses whose token bucket is remembered. */
    private static final int MAX_TRACKED_SOURCES = 65_536;
    /** Comprehension-required attributes we understand (or may ignore) in a Binding request. */
    private static final List<Integer> KNOWN = List.of(StunMessage.MAPPED_ADDRESS, StunMessage.USERNAME,
            StunMessage.MESSAGE_INTEGRITY, StunMessage.ERROR_CODE, StunMessage.UNKNOWN_ATTRIBUTES, StunMessage.REALM,
            StunMessage.NONCE, StunMessage.XOR_MAPPED_ADDRESS, StunMessage.PRIORITY, StunMessage.USE_CANDIDATE);

    private final StunProperties properties;
    private final Counter requests;
    private final Counter errors;
    private final Counter dropped;
    private final Counter limited;
    private volatile DatagramSocket socket;
    private volatile Thread receiver;

    StunServer(StunProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.requests = Counter.builder("callibry.stun.requests").description("STUN Binding requests answered with success")
                .register(meters);
        this.errors = Counter.builder("callibry.stun.errors").description("STUN requests answered with 400 or 420")
                .register(meters);
        this.dropped = Counter.builder("callibry.stun.dropped").description("datagrams on the STUN port that were not requests")
                .register(meters);
        this.limited = Counter.builder("callibry.stun.rate.limited").description("STUN requests dropped by the per-address limit")
                .register(meters);
    }

    @Override
    public synchronized void start() {
        if (properties.port() == 0) {
            log.info("STUN server disabled (callibry.media.stun.port=0)");
            return;
        }
        InetSocketAddress bind = new InetSocketAddress(properties.bindAddress(), properties.port());
        try {
            socket = new DatagramSocket(bind);
        } catch (SocketException e) {
            throw new IllegalStateException("Cannot start STUN on " + bind + ": " + e.getMessage(), e);
        }
        DatagramSocket s = socket;
        receiver = Thread.ofPlatform().name("stun-" + properties.port()).daemon().start(() -> serve(s));
        log.info("STUN listening on udp {}", s.getLocalSocketAddress());
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

    /** The bound port (useful when configured as an ephemeral one), or 0 when not running. */
    public int localPort() {
        DatagramSocket s = socket;
        return s == null ? 0 : s.getLocalPort();
    }

    private void serve(DatagramSocket s) {
        TokenBuckets<InetAddress> buckets = new TokenBuckets<>(properties.requestsPerSecond(), properties.burst(),
                MAX_TRACKED_SOURCES);
        byte[] buf = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!s.isClosed()) {
            try {
                packet.setData(buf);
                s.receive(packet);
                if (properties.requestsPerSecond() > 0 && !buckets.tryTake(packet.getAddress(), System.nanoTime())) {
                    limited.increment();
                    continue;
                }
                InetSocketAddress source = (InetSocketAddress) packet.getSocketAddress();
                byte[] response = respond(buf, packet.getLength(), source, properties.software());
                if (response != null) {
                    s.send(new DatagramPacket(response, response.length, source));
                }
            } catch (IOException e) {
                if (!s.isClosed()) {
                    log.debug("STUN receive/send failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                log.warn("STUN: unexpected failure on a datagram", e);
            }
        }
    }

    /** The answer to one datagram from {@code source}, or null when it gets none. */
    byte[] respond(byte[] buf, int len, InetSocketAddress source, String software) {
        StunMessage request;
        try {
            request = StunMessage.decode(buf, 0, len);
        } catch (StunMessage.MalformedException e) {
            StunMessage h = e.header();
            // RFC 5389 §7.3: a request that is not well formed gets 400 when the magic cookie says it is STUN
            if (h != null && h.rfc5389() && h.messageClass() == StunMessage.REQUEST) {
                errors.increment();
                log.debug("STUN 400 to {}: {}", source, e.getMessage());
                return error(h, 400, "Bad Request", List.of(), software, false);
            }
            dropped.increment();
            return null;
        }
        if (request.messageClass() != StunMessage.REQUEST || request.method() != 1) {
            // responses and indications are never answered (§7.3.2-7.3.4); other methods of 3489 clients too
            if (request.messageClass() == StunMessage.REQUEST && request.rfc5389()) {
                errors.increment();
                return error(request, 400, "Bad Request", List.of(), software, request.fingerprinted());
            }
            dropped.increment();
            return null;
        }
        List<Integer> unknown = new ArrayList<>();
        for (StunMessage.Attribute a : request.attributes()) {
            if (a.comprehensionRequired() && !KNOWN.contains(a.type()) && !harmlessChangeRequest(a)
                    && !unknown.contains(a.type())) {
                unknown.add(a.type());
            }
        }
        if (!unknown.isEmpty()) {
            // RFC 5389 §7.3.1
            errors.increment();
            return error(request, 420, "Unknown Attribute", unknown, software, request.fingerprinted());
        }
        List<StunMessage.Attribute> attributes = new ArrayList<>();
        if (request.rfc5389()) {
            attributes.add(new StunMessage.Attribute(StunMessage.XOR_MAPPED_ADDRESS,
                    StunMessage.xorMappedAddress(source, request.cookie(), request.transactionId())));
        } else {
            // RFC 5389 §12.2: a client without the magic cookie reads MAPPED-ADDRESS only
            attributes.add(new StunMessage.Attribute(StunMessage.MAPPED_ADDRESS, StunMessage.mappedAddress(source)));
        }
        addSoftware(attributes, software);
        requests.increment();
        return new StunMessage(StunMessage.BINDING_SUCCESS, request.cookie(), request.transactionId(), attributes)
                .encode(request.fingerprinted());
    }

    /** RFC 5780 §7.2 CHANGE-REQUEST asking for no change (old NAT-type probes send it): a plain Binding. */
    private static boolean harmlessChangeRequest(StunMessage.Attribute a) {
        return a.type() == StunMessage.CHANGE_REQUEST && a.value().length == 4
                && (a.value()[0] | a.value()[1] | a.value()[2] | a.value()[3]) == 0;
    }

    private static byte[] error(StunMessage request, int code, String reason, List<Integer> unknown, String software,
                                boolean fingerprint) {
        List<StunMessage.Attribute> attributes = new ArrayList<>();
        attributes.add(new StunMessage.Attribute(StunMessage.ERROR_CODE, StunMessage.errorCode(code, reason)));
        if (!unknown.isEmpty()) {
            attributes.add(new StunMessage.Attribute(StunMessage.UNKNOWN_ATTRIBUTES, StunMessage.unknownAttributes(unknown)));
        }
        addSoftware(attributes, software);
        // the error class of the request's method (§6); type bits of a Binding error are 0x0111
        int type = (request.type() & ~0x0110) | 0x0110;
        return new StunMessage(type, request.cookie(), request.transactionId(), attributes).encode(fingerprint);
    }

    private static void addSoftware(List<StunMessage.Attribute> attributes, String software) {
        if (software != null && !software.isEmpty()) {
            byte[] text = software.getBytes(StandardCharsets.UTF_8);
            // §15.10: fewer than 128 characters (763 bytes)
            if (text.length <= 763) {
                attributes.add(new StunMessage.Attribute(StunMessage.SOFTWARE, text));
            }
        }
    }
}
