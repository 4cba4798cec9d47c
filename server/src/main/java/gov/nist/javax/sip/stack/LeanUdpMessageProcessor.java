package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.AbstractQueue;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Callibry's UDP receiver for the JAIN-SIP reference implementation, plugged in through
 * {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY} (see {@code org.callibry.server.sip.internal.LeanProcessors}).
 * It sits in the RI's package only because the channel threads' constructors are not public. It differs
 * from the RI's receiver in these ways:
 * <ul>
 *   <li>With the stack property {@link #SOCKETS} above 0 (the server's default), there is no receive thread
 *       and no queue: that many sockets bind the port with {@code SO_REUSEPORT}, the kernel spreads the
 *       sources over them, and each channel thread receives from its own socket, processes the datagram to
 *       the end and sends what that produces through the same socket. A datagram costs one thread wake-up
 *       instead of two (the receive thread's, then a channel thread's), no queue, and no lock shared by
 *       every sender. The datagrams of one source stay on one socket, in order. The
 *       {@code THREAD_POOL_SIZE} threads are dealt round the sockets, so with more threads than sockets a
 *       thread held up (a lock, a slow listener) leaves its socket to the others. Without the property,
 *       one receive thread feeds a queue, as in the RI.</li>
 *   <li>One receive buffer per reading thread, reused; each datagram is copied out at its own length. The RI
 *       allocates a new array of the maximum message size (64 KB) for every datagram: more than half of all
 *       the bytes the server allocated at a few hundred calls per second.</li>
 *   <li>The channel thread that processes a datagram knows how long it may have waited
 *       ({@link #waitedMillis()}): the request valve answers new requests 503 when the server is behind,
 *       whatever the rate that made it so. With the queue, that is the datagram's time in the queue. With
 *       sockets, it is the time since its socket was last found empty: a receive that blocked tells that
 *       the socket had nothing, and everything read since arrived after that.</li>
 *   <li>The sockets' receive buffer is {@link #receiveBufferBytes} (4 MB), not the kernel's 208 KB: datagrams
 *       that arrive while the JVM is paused wait there instead of being dropped.</li>
 *   <li>While the server is over {@link #shedDelayMillis} behind, datagrams from a source that sends more than
 *       an equal share of what a reading thread processed in the last 100 ms are dropped before they are
 *       parsed: a flood from one source costs a receive and a counter, and a source that sends less than
 *       its share keeps being served in full. Responses, ACK, BYE and CANCEL are never dropped: they
 *       finish work already under way.</li>
 * </ul>
 */
public final class LeanUdpMessageProcessor extends UDPMessageProcessor {
    private static final Logger log = LoggerFactory.getLogger(LeanUdpMessageProcessor.class);
    private static final long WINDOW_MILLIS = 100;
    /** No source is held below this many datagrams per window, however many sources there are. */
    private static final int MIN_SHARE = 20;
    private static final ThreadLocal<long[]> WAITED = ThreadLocal.withInitial(() -> new long[1]);
    private static final AtomicLong dropped = new AtomicLong();

    /** Stack property: sockets bound to the port with SO_REUSEPORT and read by the channel threads; 0 = the queue. */
    public static final String SOCKETS = "org.callibry.sip.UDP_SOCKETS";

    /** How far behind (ms) the server may be before over-share sources are dropped unparsed; 0 = never. Set by the server. */
    public static volatile long shedDelayMillis = 100;

    /** The socket's receive buffer asked of the kernel (capped at net.core.rmem_max); 0 = the kernel's default. Set by the server. */
    public static volatile int receiveBufferBytes = 4 * 1024 * 1024;

    private final int bufferSize;
    /** The reuse-port sockets, or null: one socket and the queue. */
    private final DatagramChannel[] channels;
    private final InetSocketAddress local;
    private final AtomicInteger nextReader = new AtomicInteger();
    private final ThreadLocal<Reader> readers = new ThreadLocal<>();
    private final Queue<Reader> all = new ConcurrentLinkedQueue<>();

    public LeanUdpMessageProcessor(InetAddress address, SIPTransactionStack stack, int port) throws IOException {
        super(address, stack, port);
        int max = stack.getMaxMessageSize();
        this.bufferSize = max > 0 ? max : SipStackImpl.MAX_DATAGRAM_SIZE;
        this.local = new InetSocketAddress(sock.getLocalAddress(), sock.getLocalPort());
        int sockets = stack.threadPoolSize > 0 ? socketsOf(stack) : 0;
        if (sockets > 0) {
            // the RI's socket bound the port without SO_REUSEPORT, so no one else holds it: ours take its place
            sock.close();
            this.channels = new DatagramChannel[sockets];
            try {
                for (int i = 0; i < sockets; i++) {
                    channels[i] = open();
                }
                this.sock = new Sockets();
            } catch (IOException | RuntimeException e) {
                closeAll();
                if (congestionAuditor != null) {
                    congestionAuditor.stop();
                }
                throw e;
            }
            if (congestionAuditor != null) { // it watches a queue there no longer is
                congestionAuditor.stop();
                congestionAuditor = null;
            }
            this.messageQueue = new Receiving();
            log.debug("SIP UDP on {}: {} sockets, {} threads", local, sockets, stack.threadPoolSize);
        } else {
            this.channels = null;
            Stamped queue = new Stamped();
            if (congestionAuditor != null) { // the RI's auditor watches the queue it made: move it to ours
                congestionAuditor.stop();
                congestionAuditor = new BlockingQueueDispatchAuditor(queue);
                congestionAuditor.setTimeout(stack.getStackCongestionControlTimeout());
                congestionAuditor.start(2000);
            }
            this.messageQueue = queue;
            if (receiveBufferBytes > 0) {
                sock.setReceiveBufferSize(receiveBufferBytes);
                noteBuffer(sock.getReceiveBufferSize());
            }
        }
        this.messageChannels = new LinkedList<>(); // stop() walks it, even before the receive thread ran
        stack.udpFlag = true; // as the RI's factory does
    }

    private static int socketsOf(SIPTransactionStack stack) {
        String value = stack instanceof SipStackImpl impl ? impl.getConfigurationProperties().getProperty(SOCKETS) : null;
        return value == null ? 0 : Math.max(0, Integer.parseInt(value.strip()));
    }

    private DatagramChannel open() throws IOException {
        DatagramChannel ch = DatagramChannel.open(local.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            if (receiveBufferBytes > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            ch.bind(local);
            ch.configureBlocking(false);
            if (receiveBufferBytes > 0) {
                noteBuffer(ch.getOption(StandardSocketOptions.SO_RCVBUF));
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void noteBuffer(int granted) {
        if (granted < receiveBufferBytes) {
            // Linux reports twice the size it accounts; below what was asked means rmem_max capped it
            log.info("SIP UDP receive buffer on port {}: {} KB (asked {} KB; raise net.core.rmem_max for more)", getPort(),
                    granted / 1024, receiveBufferBytes / 1024);
        }
    }

    private void closeAll() {
        for (DatagramChannel ch : channels) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    log.debug("Closing a SIP UDP socket: {}", e.toString());
                }
            }
        }
    }

    /** How long the message this channel thread took last may have waited (0 off the UDP threads). */
    public static long waitedMillis() {
        return WAITED.get()[0];
    }

    /** Datagrams dropped unparsed since the start, all processors. */
    public static long dropped() {
        return dropped.get();
    }

    /** The sockets the port is bound by (1 without SO_REUSEPORT). */
    public int sockets() {
        return channels == null ? 1 : channels.length;
    }

    @Override
    public void run() {
        if (sipStack.threadPoolSize <= 0) {
            super.run(); // a channel per datagram: the RI's loop
            return;
        }
        String name = sipStack instanceof SipStackImpl impl ? impl.getStackName() : "sip";
        for (int i = 0; i < sipStack.threadPoolSize; i++) {
            messageChannels.add(new UDPMessageChannel(sipStack, this, name + "-UDPMessageChannelThread-" + i));
        }
        if (channels != null) {
            return; // the channel threads read the sockets themselves
        }
        Shedder shedder = new Shedder();
        byte[] buffer = new byte[bufferSize];
        DatagramPacket received = new DatagramPacket(buffer, buffer.length);
        while (isRunning) {
            try {
                received.setLength(buffer.length);
                sock.receive(received);
                long now = System.currentTimeMillis();
                DatagramQueuedMessageDispatch oldest = messageQueue.peek();
                long behind = oldest == null ? 0 : now - oldest.getReceptionTime();
                if (shedder.shed(received, now, behind, messageQueue.size())) {
                    continue;
                }
                messageQueue.offer(new DatagramQueuedMessageDispatch(copy(received), now));
            } catch (SocketTimeoutException e) {
                // a thread auditor's ping interval: go round
            } catch (SocketException e) {
                if (!isRunning) {
                    return;
                }
                log.warn("UDP receive failed", e);
            } catch (IOException | RuntimeException e) {
                log.warn("UDP receive failed", e);
            }
        }
    }

    private static DatagramPacket copy(DatagramPacket received) {
        int length = received.getLength();
        return new DatagramPacket(Arrays.copyOf(received.getData(), length), length, received.getAddress(), received.getPort());
    }

    /**
     * Which datagrams to drop unparsed, for one reading thread: while the server is behind, those of sources
     * over an equal share of what this thread processed in the last window.
     */
    private static final class Shedder {
        /** Datagrams per source in the current window. */
        private final Map<Long, int[]> perSource = new HashMap<>();
        private long windowStart;
        private int admittedInWindow;
        private int backlogAtWindowStart;
        private int fairShare = Integer.MAX_VALUE;

        /**
         * @param behind  how long the oldest datagram not yet taken has waited (ms)
         * @param backlog datagrams admitted but not yet taken (the queue), 0 when they are processed at once
         */
        boolean shed(DatagramPacket packet, long now, long behind, int backlog) {
            if (now - windowStart >= WINDOW_MILLIS) {
                int processed = admittedInWindow - (backlog - backlogAtWindowStart);
                fairShare = Math.max(MIN_SHARE, processed / Math.max(1, perSource.size()));
                perSource.clear();
                admittedInWindow = 0;
                backlogAtWindowStart = backlog;
                windowStart = now;
            }
            long key = ((long) packet.getAddress().hashCode() << 16) ^ packet.getPort();
            int[] count = perSource.computeIfAbsent(key, k -> new int[1]);
            long shedAfter = shedDelayMillis;
            if (shedAfter > 0 && count[0] >= fairShare && behind > shedAfter && !endsWork(packet.getData())) {
                dropped.incrementAndGet();
                return true;
            }
            count[0]++;
            admittedInWindow++;
            return false;
        }
    }

    /**
     * A response, ACK, BYE or CANCEL: it completes or ends what the server already works on, so it is never
     * dropped (dropping it would only bring its retransmissions).
     */
    private static boolean endsWork(byte[] b) {
        return starts(b, "SIP/") || starts(b, "ACK ") || starts(b, "BYE ") || starts(b, "CANCEL ");
    }

    private static boolean starts(byte[] b, String prefix) {
        if (b.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The RI's queue, noting in the taking thread how long the taken datagram waited. */
    private static final class Stamped extends LinkedBlockingQueue<DatagramQueuedMessageDispatch> {
        @Override
        public DatagramQueuedMessageDispatch take() throws InterruptedException {
            return stamp(super.take());
        }

        @Override
        public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
            return stamp(super.poll(timeout, unit));
        }

        private static DatagramQueuedMessageDispatch stamp(DatagramQueuedMessageDispatch d) {
            if (d != null) {
                WAITED.get()[0] = System.currentTimeMillis() - d.getReceptionTime();
            }
            return d;
        }
    }

    /** One channel thread's socket, buffer and shedding, with the last moment its socket was found empty. */
    private final class Reader {
        final DatagramChannel channel;
        final Selector selector;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(bufferSize);
        final Shedder shedder = new Shedder();
        long emptyAt = System.nanoTime();

        Reader(DatagramChannel channel) throws IOException {
            this.channel = channel;
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        }

        /** The next datagram of this thread's socket; null when {@code timeoutMillis} (&gt; 0) passed first. */
        DatagramQueuedMessageDispatch receive(long timeoutMillis) throws InterruptedException {
            while (true) {
                if (!isRunning) {
                    close();
                    throw new InterruptedException("stopped");
                }
                try {
                    buffer.clear();
                    InetSocketAddress source = (InetSocketAddress) channel.receive(buffer);
                    if (source == null) {
                        // nothing waiting: whatever comes next waited only as long as it takes to read it
                        emptyAt = System.nanoTime();
                        if (selector.select(timeoutMillis) == 0) {
                            Thread.interrupted(); // stop() is told by isRunning, not by an interrupt
                            if (timeoutMillis > 0 && isRunning) {
                                return null;
                            }
                        }
                        selector.selectedKeys().clear();
                        continue;
                    }
                    long behind = (System.nanoTime() - emptyAt) / 1_000_000;
                    int length = buffer.position();
                    byte[] data = new byte[length];
                    buffer.flip().get(data);
                    DatagramPacket packet = new DatagramPacket(data, length, source.getAddress(), source.getPort());
                    long now = System.currentTimeMillis();
                    if (shedder.shed(packet, now, behind, 0)) {
                        continue;
                    }
                    WAITED.get()[0] = behind;
                    return new DatagramQueuedMessageDispatch(packet, now);
                } catch (IOException | RuntimeException e) {
                    if (!isRunning) {
                        close();
                        throw new InterruptedException("stopped");
                    }
                    log.warn("SIP UDP receive on {} failed", local, e);
                    if (!channel.isOpen()) {
                        TimeUnit.SECONDS.sleep(1); // closed only by stop(), which is under way
                    }
                }
            }
        }

        private void close() {
            try {
                selector.close();
            } catch (IOException e) {
                log.debug("Closing a selector: {}", e.toString());
            }
        }
    }

    /** Sends a datagram through a non-blocking socket, waiting a little while its send buffer is full. */
    private static void send(DatagramChannel channel, DatagramPacket p) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength());
        SocketAddress to = p.getSocketAddress();
        for (int attempt = 0; channel.send(data, to) == 0; attempt++) {
            if (attempt == 100) {
                throw new IOException("the SIP UDP socket's send buffer stayed full for 10 ms");
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private Reader reader() throws InterruptedException {
        Reader r = readers.get();
        if (r == null) {
            try {
                r = new Reader(channels[Math.floorMod(nextReader.getAndIncrement(), channels.length)]);
            } catch (IOException e) {
                log.error("A SIP UDP channel thread cannot watch its socket: {}", e.toString());
                throw new InterruptedException("no selector");
            }
            readers.set(r);
            all.add(r);
        }
        return r;
    }

    /**
     * What the channel threads take from: their socket. It holds nothing itself, so the RI's views of a queue
     * (size, emptiness) see it empty.
     */
    private final class Receiving extends AbstractQueue<DatagramQueuedMessageDispatch>
            implements BlockingQueue<DatagramQueuedMessageDispatch> {
        @Override
        public DatagramQueuedMessageDispatch take() throws InterruptedException {
            return reader().receive(0);
        }

        @Override
        public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
            return reader().receive(Math.max(1, unit.toMillis(timeout)));
        }

        @Override
        public Iterator<DatagramQueuedMessageDispatch> iterator() {
            return Collections.emptyIterator();
        }

        @Override
        public int size() {
            return 0;
        }

        @Override
        public boolean offer(DatagramQueuedMessageDispatch d) {
            return false;
        }

        @Override
        public DatagramQueuedMessageDispatch poll() {
            return null;
        }

        @Override
        public DatagramQueuedMessageDispatch peek() {
            return null;
        }

        @Override
        public void put(DatagramQueuedMessageDispatch d) {
            throw new UnsupportedOperationException("datagrams come from the sockets");
        }

        @Override
        public boolean offer(DatagramQueuedMessageDispatch d, long timeout, TimeUnit unit) {
            return false;
        }

        @Override
        public int remainingCapacity() {
            return 0;
        }

        @Override
        public int drainTo(Collection<? super DatagramQueuedMessageDispatch> c) {
            return 0;
        }

        @Override
        public int drainTo(Collection<? super DatagramQueuedMessageDispatch> c, int maxElements) {
            return 0;
        }
    }

    /**
     * What the RI knows as the processor's socket: it sends through the calling channel thread's own socket
     * (the first one from other threads, the timers' retransmissions for one) and closes them all.
     */
    private final class Sockets extends DatagramSocket {
        Sockets() throws SocketException {
            super((SocketAddress) null); // an unbound socket of its own, never used
        }

        @Override
        public void send(DatagramPacket p) throws IOException {
            Reader r = readers.get();
            LeanUdpMessageProcessor.send(r != null ? r.channel : channels[0], p);
        }

        @Override
        public void receive(DatagramPacket p) throws IOException {
            throw new IOException("the channel threads read the SIP UDP sockets");
        }

        @Override
        public InetAddress getLocalAddress() {
            return local.getAddress();
        }

        @Override
        public int getLocalPort() {
            return local.getPort();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return local;
        }

        @Override
        public int getReceiveBufferSize() throws SocketException {
            try {
                return channels[0].getOption(StandardSocketOptions.SO_RCVBUF);
            } catch (IOException e) {
                throw new SocketException(e.getMessage());
            }
        }

        @Override
        public void close() {
            closeAll();
            for (Reader r : all) {
                r.selector.wakeup();
            }
            super.close();
        }
    }
}
