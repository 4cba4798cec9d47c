package org.callibry.server.nodes.ng;

import org.callibry.server.nodes.internal.NodeProperties;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the rtpengine "ng" control protocol over UDP: a message is a cookie, a space and a
 * bencoded dictionary; the reply carries the same cookie. One socket and one receiver thread serve any
 * number of concurrent callers (pending commands are kept by cookie). A command is sent again every
 * retransmission interval, up to the number of tries, until a reply comes or the timeout passes;
 * rtpengine answers a repeated cookie from its cache, so repeating an offer does not create a second
 * call. Replies from another address than the command went to are ignored.
 */
public final class NgClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NgClient.class);
    /** Largest datagram accepted (an offer with a long SDP is a few kB). */
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramSocket socket;
    private final Duration retransmitInterval;
    private final int tries;
    private final Duration defaultTimeout;
    private final String cookiePrefix = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + "_";
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Thread receiver;

    private record Pending(InetSocketAddress to, CompletableFuture<Map<String, Object>> reply) {
    }

    /** The command failed: no reply in time, {@code result: error}, or a malformed reply. */
    public static final class NgException extends Exception {
        private final boolean timeout;

        NgException(String message, boolean timeout) {
            super(message);
            this.timeout = timeout;
        }

        /** No reply came before the timeout (the node may be down), as opposed to an error reply. */
        public boolean timeout() {
            return timeout;
        }
    }

    /**
     * @param bind               local address of the socket ({@code 0.0.0.0:0} for any)
     * @param defaultTimeout     timeout of {@link #command(InetSocketAddress, Map)}
     * @param retransmitInterval time between two sends of the same command
     * @param tries              sends at most, the first included
     */
    public NgClient(InetSocketAddress bind, Duration defaultTimeout, Duration retransmitInterval, int tries)
            throws SocketException {
        if (tries < 1 || retransmitInterval.isNegative() || retransmitInterval.isZero()) {
            throw new IllegalArgumentException("ng client: tries >= 1 and a positive retransmission interval");
        }
        this.socket = new DatagramSocket(bind);
        this.defaultTimeout = defaultTimeout;
        this.retransmitInterval = retransmitInterval;
        this.tries = tries;
        this.receiver = Thread.ofPlatform().name("ng-client-" + socket.getLocalPort()).daemon().start(this::receive);
    }

    /** With the default timeout. */
    public Map<String, Object> command(InetSocketAddress to, Map<String, Object> dict) throws NgException {
        return command(to, dict, defaultTimeout);
    }

    /**
     * Sends {@code dict} (e.g. {@code command: ping}) to {@code to} and waits for the reply dictionary.
     *
     * @throws NgException on timeout, on {@code result: error} (its {@code error-reason} is the message),
     *                     or when the reply cannot be decoded
     */
    public Map<String, Object> command(InetSocketAddress to, Map<String, Object> dict, Duration timeout) throws NgException {
        String cookie = cookiePrefix + sequence.incrementAndGet();
        byte[] body = Bencode.encode(dict);
        byte[] message = new byte[cookie.length() + 1 + body.length];
        System.arraycopy(cookie.getBytes(StandardCharsets.US_ASCII), 0, message, 0, cookie.length());
        message[cookie.length()] = ' ';
        System.arraycopy(body, 0, message, cookie.length() + 1, body.length);
        DatagramPacket packet = new DatagramPacket(message, message.length, to);
        CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
        pending.put(cookie, new Pending(to, reply));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (int sent = 0; ; ) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new NgException("no reply from " + NodeProperties.format(to) + " to '" + Bencode.string(dict.get("command"))
                            + "' within " + timeout.toMillis() + " ms (" + sent + " sends)", true);
                }
                if (sent < tries) {
                    try {
                        socket.send(packet);
                    } catch (IOException e) {
                        log.debug("ng send to {} failed: {}", to, e.toString());
                    }
                    sent++;
                }
                long wait = sent < tries ? Math.min(left, retransmitInterval.toNanos()) : left;
                try {
                    return checked(reply.get(wait, TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    // send again, or give up at the deadline
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NgException("interrupted waiting for " + NodeProperties.format(to), false);
        } catch (ExecutionException e) {
            throw new NgException(e.getCause().getMessage(), false);
        } finally {
            pending.remove(cookie);
        }
    }

    private static Map<String, Object> checked(Map<String, Object> reply) throws NgException {
        if ("error".equals(Bencode.string(reply.get("result")))) {
            String reason = Bencode.string(reply.get("error-reason"));
            throw new NgException(reason == null ? "error without a reason" : reason, false);
        }
        return reply;
    }

    private void receive() {
        byte[] buf = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                packet.setData(buf);
                socket.receive(packet);
                int len = packet.getLength();
                int space = -1;
                for (int i = 0; i < len && i < 256; i++) {
                    if (buf[i] == ' ') {
                        space = i;
                        break;
                    }
                }
                if (space <= 0) {
                    continue;
                }
                String cookie = new String(buf, 0, space, StandardCharsets.US_ASCII);
                Pending p = pending.get(cookie);
                if (p == null || !p.to().equals(packet.getSocketAddress())) {
                    continue; // late reply to a retransmission, or not from where the command went
                }
                try {
                    p.reply().complete(Bencode.decodeDictionary(buf, space + 1, len - space - 1));
                } catch (IllegalArgumentException e) {
                    p.reply().completeExceptionally(new IllegalArgumentException("malformed ng reply from "
                            + NodeProperties.format(p.to()) + ": " + e.getMessage()));
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.debug("ng receive failed: {}", e.toString());
                }
            }
        }
    }

    /** The local port of the socket. */
    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        socket.close();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.values().forEach(p -> p.reply().completeExceptionally(new IllegalStateException("ng client closed")));
    }
}
