package org.callibry.server.relay.rtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP side of the media plane: RTP/RTCP port pairs from a configured range, each a non-blocking
 * datagram channel served by one of a few selector threads. A received datagram is handed to the
 * port's {@link Receiver} on that thread, in a buffer valid only during the call; receivers forward
 * or copy, they never block. Sending is allowed from any thread.
 */
public final class RtpNetwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtpNetwork.class);
    /** Datagrams read from one ready channel before the loop moves on (fairness between ports). */
    private static final int BURST = 16;

    /** Handles one received datagram; {@code packet} is positioned at its first byte. */
    public interface Receiver {
        public void received(RtpPort port, ByteBuffer packet, InetSocketAddress from, long nanos);
    }

    /** One bound UDP port. */
    public final class RtpPort {
        public final DatagramChannel channel;
        public final int port;
        public volatile Receiver receiver;

        private RtpPort(DatagramChannel channel, int port, Receiver receiver) {
            this.channel = channel;
            this.port = port;
            this.receiver = receiver;
        }

        /** Sends {@code packet} (position to limit); a failure is counted, never thrown: media is best effort. */
        public void send(ByteBuffer packet, SocketAddress to) {
            try {
                channel.send(packet, to);
            } catch (IOException | RuntimeException e) {
                sendErrors.incrementAndGet();
            }
        }
    }

    /** An RTP port (even) and its RTCP port (the next one, RFC 3550 §11). */
    public record PortPair(RtpPort rtp, RtpPort rtcp) {
    }

    private final InetAddress bindAddress;
    private final int portMin;
    private final int portMax;
    private final Loop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final AtomicInteger cursor = new AtomicInteger();
    private final ConcurrentHashMap<Integer, Boolean> inUse = new ConcurrentHashMap<>();
    public final AtomicInteger sendErrors = new AtomicInteger();

    public RtpNetwork(InetAddress bindAddress, int portMin, int portMax, int threads) throws IOException {
        if (portMin < 1024 || portMax > 65535 || portMax - portMin < 3) {
            throw new IllegalArgumentException("RTP port range " + portMin + "-" + portMax + " is not a usable range");
        }
        this.bindAddress = bindAddress;
        this.portMin = portMin + (portMin & 1);
        this.portMax = portMax;
        this.loops = new Loop[Math.max(1, threads)];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new Loop(i);
        }
    }

    public int capacityPairs() {
        return (portMax - portMin + 1) / 2;
    }

    /** Binds the next free even/odd pair of the range; null when the range is exhausted. */
    public PortPair openPair(Receiver rtp, Receiver rtcp) {
        int pairs = capacityPairs();
        for (int attempt = 0; attempt < pairs; attempt++) {
            int port = portMin + 2 * Math.floorMod(cursor.getAndIncrement(), pairs);
            if (inUse.putIfAbsent(port, Boolean.TRUE) != null) {
                continue;
            }
            DatagramChannel a = null;
            DatagramChannel b = null;
            try {
                a = bind(port);
                b = bind(port + 1);
                Loop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
                RtpPort pa = new RtpPort(a, port, rtp);
                RtpPort pb = new RtpPort(b, port + 1, rtcp);
                loop.register(pa);
                loop.register(pb);
                return new PortPair(pa, pb);
            } catch (IOException e) {
                closeQuietly(a);
                closeQuietly(b);
                inUse.remove(port); // taken by another program: try the next pair
            }
        }
        return null;
    }

    public void close(PortPair pair) {
        if (pair != null) {
            closeQuietly(pair.rtp.channel);
            closeQuietly(pair.rtcp.channel);
            inUse.remove(pair.rtp.port);
        }
    }

    private DatagramChannel bind(int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open(bindAddress instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 256 * 1024);
            ch.bind(new InetSocketAddress(bindAddress, port));
            ch.configureBlocking(false);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a datagram channel has nothing to flush
            }
        }
    }

    @Override
    public void close() {
        for (Loop l : loops) {
            l.stop();
        }
    }

    /** One selector thread. */
    private final class Loop implements Runnable {
        private final Selector selector;
        private final Queue<RtpPort> pending = new ConcurrentLinkedQueue<>();
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
        private final Thread thread;
        private volatile boolean running = true;

        public Loop(int index) throws IOException {
            selector = Selector.open();
            thread = Thread.ofPlatform().name("rtp-" + index).daemon().start(this);
        }

        public void register(RtpPort port) {
            pending.add(port);
            selector.wakeup();
        }

        public void stop() {
            running = false;
            selector.wakeup();
            try {
                thread.join(2000);
                selector.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }

        @Override
        public void run() {
            while (running) {
                try {
                    selector.select(this::ready);
                    RtpPort p;
                    while ((p = pending.poll()) != null) {
                        if (p.channel.isOpen()) {
                            p.channel.register(selector, SelectionKey.OP_READ, p);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    if (running) {
                        log.warn("RTP loop error", e);
                    }
                }
            }
        }

        private void ready(SelectionKey key) {
            RtpPort port = (RtpPort) key.attachment();
            if (!key.isValid()) {
                return;
            }
            long now = System.nanoTime();
            for (int i = 0; i < BURST; i++) {
                buffer.clear();
                InetSocketAddress from;
                try {
                    from = (InetSocketAddress) port.channel.receive(buffer);
                } catch (IOException e) {
                    return; // ICMP unreachable reported on the socket, or closed meanwhile
                }
                if (from == null) {
                    return;
                }
                buffer.flip();
                try {
                    port.receiver.received(port, buffer, from, now);
                } catch (RuntimeException e) {
                    log.debug("RTP receiver failed on port {}", port.port, e);
                }
            }
        }
    }
}
