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
 *   <li>With the stack property {@link #SOCKETS} above 0 ({@code callibry.sip.udp-sockets}, 2 in the server by
 *       default; 0 when the property is absent),
 *       there is no receive thread: that many sockets bind the port (with {@code SO_REUSEPORT} when more
 *       than one; the kernel keeps each source on one socket), and the first channel threads read one
 *       socket each. Such a reader processes what it reads itself while its socket keeps up: a datagram
 *       then costs one thread wake-up instead of two (the receive thread's, then a channel thread's) and no
 *       queue. Once its socket has not been empty for {@link #HAND_OVER_NANOS}, it only reads, and queues
 *       what it reads for the other threads (the helpers) until the socket is empty again, so reading never
 *       falls behind processing. The first helper, the watcher, reads the socket of a reader that has been
 *       away from it over {@link #STALL_MILLIS} (a slow listener, a lock), so one held-up thread does not
 *       hold up its socket's sources. Without the property, one receive thread feeds a queue, as in the
 *       RI. Measured in {@code docs/performance.md}: 5-15 % less CPU per call than the queue.</li>
 *   <li>One receive buffer per reading thread, reused; each datagram is copied out at its own length. The RI
 *       allocates a new array of the maximum message size (64 KB) for every datagram: more than half of all
 *       the bytes the server allocated at a few hundred calls per second.</li>
 *   <li>The channel thread that processes a datagram knows how long it may have waited
 *       ({@link #waitedMillis()}): the request valve answers new requests 503 when the server is behind,
 *       whatever the rate that made it so. With the queue, that is the datagram's time in the queue. With
 *       sockets, it is the time since its socket was last found empty: everything read since arrived after
 *       that.</li>
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
    /** A reader away from its socket this long has it read by the watcher. */
    private static final long STALL_MILLIS = 5;
    /** A reader whose socket has not been empty for this long hands what waits behind to the helpers. */
    private static final long HAND_OVER_NANOS = 1_000_000;
    /** Datagrams handed over in one go before the reader looks at the stack's state again. */
    private static final int MAX_HAND_OVER = 256;
    private static final ThreadLocal<long[]> WAITED = ThreadLocal.withInitial(() -> new long[1]);
    private static final AtomicLong dropped = new AtomicLong();
    private static final AtomicLong rescued = new AtomicLong();

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
    /** A channel thread's role: its {@link Reader}, a {@link Helper} or the {@link Watcher}. */
    private final ThreadLocal<Object> roles = new ThreadLocal<>();
    /** What readers found waiting behind the datagram they took, for the helpers. */
    private final Stamped overflow = new Stamped();
    private final int helpers;
    private final Queue<Reader> all = new ConcurrentLinkedQueue<>();

    public LeanUdpMessageProcessor(InetAddress address, SIPTransactionStack stack, int port) throws IOException {
        super(address, stack, port);
        int max = stack.getMaxMessageSize();
        this.bufferSize = max > 0 ? max : SipStackImpl.MAX_DATAGRAM_SIZE;
        this.local = new InetSocketAddress(sock.getLocalAddress(), sock.getLocalPort());
        // a socket no thread reads would keep what the kernel gives it: never more sockets than threads, and
        // one thread left over to watch for a held-up reader
        int sockets = stack.threadPoolSize > 0 ? Math.min(socketsOf(stack), Math.max(1, stack.threadPoolSize - 1)) : 0;
        this.helpers = Math.max(0, stack.threadPoolSize - sockets);
        if (sockets > 0) {
            // the RI's socket bound the port without SO_REUSEPORT, so no one else holds it: ours take its place
            sock.close();
            this.channels = new DatagramChannel[sockets];
            try {
                for (int i = 0; i < sockets; i++) {
                    channels[i] = open(sockets > 1);
                }
                this.sock = new Sockets();
            } catch (IOException | RuntimeException e) {
                closeAll();
                if (congestionAuditor != null) {
                    congestionAuditor.stop();
                }
                throw e;
            }
            audit(overflow, stack);
            this.messageQueue = new Receiving();
            log.debug("SIP UDP on {}: {} sockets, {} threads", local, sockets, stack.threadPoolSize);
        } else {
            this.channels = null;
            Stamped queue = new Stamped();
            audit(queue, stack);
            this.messageQueue = queue;
            if (receiveBufferBytes > 0) {
                sock.setReceiveBufferSize(receiveBufferBytes);
                noteBuffer(sock.getReceiveBufferSize());
            }
        }
        this.messageChannels = new LinkedList<>(); // stop() walks it, even before the receive thread ran
        stack.udpFlag = true; // as the RI's factory does
    }

    /** The RI's congestion auditor watches the queue the RI made: it is moved to the queue that is used. */
    private void audit(BlockingQueue<DatagramQueuedMessageDispatch> queue, SIPTransactionStack stack) {
        if (congestionAuditor != null) {
            congestionAuditor.stop();
            congestionAuditor = new BlockingQueueDispatchAuditor(queue);
            congestionAuditor.setTimeout(stack.getStackCongestionControlTimeout());
            congestionAuditor.start(2000);
        }
    }

    private static int socketsOf(SIPTransactionStack stack) {
        String value = stack instanceof SipStackImpl impl ? impl.getConfigurationProperties().getProperty(SOCKETS) : null;
        return value == null ? 0 : Math.max(0, Integer.parseInt(value.strip()));
    }

    private DatagramChannel open(boolean reusePort) throws IOException {
        DatagramChannel ch = DatagramChannel.open(local.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            if (reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
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

    /** Datagrams the watcher read at the socket of a held-up reader since the start, all processors. */
    public static long rescued() {
        return rescued.get();
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

    /**
     * A channel thread that reads a socket: its buffer, its shedding, and the last moment its socket was found
     * empty. It processes what it reads itself; what it finds waiting behind that goes to the helpers.
     */
    private final class Reader {
        final DatagramChannel channel;
        final Selector selector;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(bufferSize);
        final Shedder shedder = new Shedder();
        long emptyAt = System.nanoTime();
        /**
         * The last receive found the socket empty: wait on the selector before the next. True at first, so
         * that what a new reader finds waiting is not taken as a backlog as old as the reader.
         */
        boolean drained = true;
        /** When this thread went off to process what it read (0: it is at its socket). */
        volatile long busySince;

        Reader(DatagramChannel channel) throws IOException {
            this.channel = channel;
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        }

        /**
         * The next datagram of this thread's socket to process here; null when {@code timeoutMillis} (&gt; 0)
         * passed first. While the socket is behind, what it reads goes to the helpers instead.
         */
        DatagramQueuedMessageDispatch receive(long timeoutMillis) throws InterruptedException {
            busySince = 0;
            while (true) {
                if (!isRunning) {
                    close();
                    throw new InterruptedException("stopped");
                }
                try {
                    if (drained) {
                        int ready = selector.select(timeoutMillis);
                        // the socket was empty until what woke the selector arrived, a moment ago
                        emptyAt = System.nanoTime();
                        drained = false;
                        selector.selectedKeys().clear();
                        if (ready == 0) {
                            Thread.interrupted(); // stop() is told by isRunning, not by an interrupt
                            if (timeoutMillis > 0 && isRunning) {
                                drained = true;
                                return null;
                            }
                        }
                    }
                    Received first = next();
                    if (first == null) {
                        continue;
                    }
                    if (helpers > 0 && System.nanoTime() - emptyAt > HAND_OVER_NANOS) {
                        // the socket has not been empty for a while: this thread only reads, and hands all it
                        // reads to the helpers until the socket is empty, so reading never falls behind (as the
                        // RI's receive thread); a short burst is cheaper read here one by one than handed over
                        overflow.offer(first);
                        for (int i = 0; i < MAX_HAND_OVER && !drained; i++) {
                            Received behind = next();
                            if (behind != null) {
                                overflow.offer(behind);
                            }
                        }
                        continue;
                    }
                    WAITED.get()[0] = first.behind;
                    busySince = System.nanoTime();
                    return first;
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

        /** One datagram from the socket, or null: the socket is empty ({@link #drained}) or it was shed. */
        private Received next() throws IOException {
            DatagramPacket packet = read(channel, buffer);
            if (packet == null) {
                drained = true;
                return null;
            }
            long now = System.currentTimeMillis();
            // the socket has not been empty since emptyAt: an upper bound of the wait of what is read from it now
            long behind = (System.nanoTime() - emptyAt) / 1_000_000;
            DatagramQueuedMessageDispatch oldest = overflow.peek();
            if (oldest != null) {
                behind = Math.max(behind, now - oldest.getReceptionTime());
            }
            return shedder.shed(packet, now, behind, overflow.size()) ? null : new Received(packet, now, channel, behind);
        }

        private void close() {
            try {
                selector.close();
            } catch (IOException e) {
                log.debug("Closing a selector: {}", e.toString());
            }
        }
    }

    /** One datagram from a non-blocking socket, copied out at its own length; null when the socket is empty. */
    private static DatagramPacket read(DatagramChannel channel, ByteBuffer buffer) throws IOException {
        buffer.clear();
        InetSocketAddress source = (InetSocketAddress) channel.receive(buffer);
        if (source == null) {
            return null;
        }
        byte[] data = new byte[buffer.position()];
        buffer.flip().get(data);
        return new DatagramPacket(data, data.length, source.getAddress(), source.getPort());
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

    /** This thread's reader; null for a helper. The first {@code sockets} threads to ask read a socket each. */
    private Reader reader() throws InterruptedException {
        Object role = roles.get();
        if (role == null) {
            int n = nextReader.getAndIncrement();
            if (n < channels.length) {
                try {
                    Reader r = new Reader(channels[n]);
                    all.add(r);
                    role = r;
                } catch (IOException e) {
                    if (isRunning) { // a stop right after the start closes the socket before its reader came
                        log.error("A SIP UDP channel thread cannot watch its socket: {}", e.toString());
                    }
                    throw new InterruptedException("no selector");
                }
            } else {
                role = n == channels.length ? new Watcher() : new Helper();
            }
            roles.set(role);
        }
        return role instanceof Reader r ? r : null;
    }

    /** A datagram with the socket it came in on: what it causes is sent through that socket. */
    private static final class Received extends DatagramQueuedMessageDispatch {
        final DatagramChannel channel;
        /** How long it may have waited when read (ms). */
        final long behind;

        Received(DatagramPacket packet, long time, DatagramChannel channel, long behind) {
            super(packet, time);
            this.channel = channel;
            this.behind = behind;
        }
    }

    /**
     * A channel thread that processes what readers hand over. It sends through the socket the datagram it
     * processes came in on, so the helpers' sends spread over the sockets instead of all taking the lock of
     * one.
     */
    private static class Helper {
        DatagramChannel via;

        DatagramQueuedMessageDispatch took(DatagramQueuedMessageDispatch d) {
            if (d instanceof Received r) {
                via = r.channel;
            }
            return d;
        }
    }

    /**
     * The first helper: besides taking what readers hand over, it looks every {@link #STALL_MILLIS} for a reader
     * that has been away from its socket longer than that (a slow listener, a lock) and reads that socket in
     * its place, so one held-up thread never holds up its socket's sources.
     */
    private final class Watcher extends Helper {
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(bufferSize);

        DatagramQueuedMessageDispatch take(long timeoutMillis) throws InterruptedException {
            long deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000 : Long.MAX_VALUE;
            while (isRunning && System.nanoTime() < deadline) {
                DatagramQueuedMessageDispatch d = overflow.poll(STALL_MILLIS, TimeUnit.MILLISECONDS);
                if (d == null) {
                    d = rescue();
                }
                if (d != null) {
                    return took(d);
                }
            }
            if (!isRunning) {
                throw new InterruptedException("stopped");
            }
            return null;
        }

        /** The first datagram waiting at a held-up reader's socket; the next few go to the other helpers. */
        private DatagramQueuedMessageDispatch rescue() {
            long now = System.nanoTime();
            for (Reader r : all) {
                long since = r.busySince;
                if (since == 0 || now - since < STALL_MILLIS * 1_000_000) {
                    continue;
                }
                DatagramQueuedMessageDispatch first = null;
                long behind = (now - since) / 1_000_000;
                try {
                    for (int i = 0; i <= helpers; i++) {
                        DatagramPacket packet = read(r.channel, buffer);
                        if (packet == null) {
                            break;
                        }
                        var d = new Received(packet, System.currentTimeMillis(), r.channel, behind);
                        if (first == null) {
                            first = d;
                        } else {
                            overflow.offer(d);
                        }
                    }
                } catch (IOException e) {
                    log.debug("Reading a held-up reader's socket: {}", e.toString());
                }
                if (first != null) {
                    rescued.incrementAndGet();
                    WAITED.get()[0] = behind;
                    return first;
                }
            }
            return null;
        }
    }

    /**
     * What the channel threads take from: their socket. It holds nothing itself, so the RI's views of a queue
     * (size, emptiness) see it empty.
     */
    private final class Receiving extends AbstractQueue<DatagramQueuedMessageDispatch>
            implements BlockingQueue<DatagramQueuedMessageDispatch> {
        @Override
        public DatagramQueuedMessageDispatch take() throws InterruptedException {
            return take(0);
        }

        @Override
        public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
            return take(Math.max(1, unit.toMillis(timeout)));
        }

        /** For this channel thread: from its socket, as the watcher, or from what readers handed over. */
        private DatagramQueuedMessageDispatch take(long timeoutMillis) throws InterruptedException {
            Reader r = reader();
            if (r != null) {
                return r.receive(timeoutMillis);
            }
            Helper h = (Helper) roles.get();
            if (h instanceof Watcher w) {
                return w.take(timeoutMillis);
            }
            return h.took(timeoutMillis > 0 ? overflow.poll(timeoutMillis, TimeUnit.MILLISECONDS) : overflow.take());
        }

        @Override
        public Iterator<DatagramQueuedMessageDispatch> iterator() {
            return Collections.emptyIterator();
        }

        @Override
        public int size() {
            return overflow.size();
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
     * What the RI knows as the processor's socket: it sends through the calling reader's socket, or the one
     * the helper's datagram came in on (the first one from other threads, the timers' retransmissions for
     * one), and closes them all.
     */
    private final class Sockets extends DatagramSocket {
        Sockets() throws SocketException {
            super((SocketAddress) null); // an unbound socket of its own, never used
        }

        @Override
        public void send(DatagramPacket p) throws IOException {
            Object role = roles.get();
            DatagramChannel via = role instanceof Reader r ? r.channel : role instanceof Helper h ? h.via : null;
            LeanUdpMessageProcessor.send(via != null ? via : channels[0], p);
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
