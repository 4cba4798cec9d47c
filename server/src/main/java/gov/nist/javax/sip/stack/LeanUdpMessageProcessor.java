package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Callibry's UDP receiver for the JAIN-SIP reference implementation, plugged in through
 * {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY} (see {@code org.callibry.server.sip.internal.LeanProcessors}).
 * It sits in the RI's package only because the channel threads' constructors are not public. It differs
 * from the RI's receiver in four ways:
 * <ul>
 *   <li>One receive buffer, reused; each datagram is copied out at its own length. The RI allocates a new
 *       array of the maximum message size (64 KB) for every datagram: more than half of all the bytes the
 *       server allocated at a few hundred calls per second.</li>
 *   <li>Every queued datagram keeps its arrival time, and the channel thread that takes it knows how long
 *       it waited ({@link #waitedMillis()}): the request valve answers new requests 503 when the queue is
 *       the bottleneck, whatever the rate that made it so.</li>
 *   <li>The socket's receive buffer is {@link #receiveBufferBytes} (4 MB), not the kernel's 208 KB: datagrams that
 *       arrive while the JVM is paused wait there instead of being dropped.</li>
 *   <li>While the oldest queued datagram has waited over {@link #shedDelayMillis}, datagrams from a source that sends more
 *       than an equal share of what the server processed in the last 100 ms are dropped before they are
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

    /** Queue wait (of the oldest datagram) above which over-share sources are dropped unparsed; 0 = never. Set by the server. */
    public static volatile long shedDelayMillis = 100;

    /** The socket's receive buffer asked of the kernel (capped at net.core.rmem_max); 0 = the kernel's default. Set by the server. */
    public static volatile int receiveBufferBytes = 4 * 1024 * 1024;

    private final int bufferSize;
    /** Datagrams per source in the current window (only the receive thread touches these). */
    private final Map<Long, int[]> perSource = new HashMap<>();
    private long windowStart;
    private int admittedInWindow;
    private int backlogAtWindowStart;
    private int fairShare = Integer.MAX_VALUE;

    public LeanUdpMessageProcessor(InetAddress address, SIPTransactionStack stack, int port) throws IOException {
        super(address, stack, port);
        int max = stack.getMaxMessageSize();
        this.bufferSize = max > 0 ? max : SipStackImpl.MAX_DATAGRAM_SIZE;
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
            if (sock.getReceiveBufferSize() < receiveBufferBytes) {
                // Linux reports twice the size it accounts; below what was asked means rmem_max capped it
                log.info("SIP UDP receive buffer on port {}: {} KB (asked {} KB; raise net.core.rmem_max for more)", port,
                        sock.getReceiveBufferSize() / 1024, receiveBufferBytes / 1024);
            }
        }
        this.messageChannels = new LinkedList<>(); // stop() walks it, even before the receive thread ran
        stack.udpFlag = true; // as the RI's factory does
    }

    /** How long the message this channel thread took last had waited in the queue (0 off the UDP threads). */
    public static long waitedMillis() {
        return WAITED.get()[0];
    }

    /** Datagrams dropped unparsed since the start, all processors. */
    public static long dropped() {
        return dropped.get();
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
        byte[] buffer = new byte[bufferSize];
        DatagramPacket received = new DatagramPacket(buffer, buffer.length);
        while (isRunning) {
            try {
                received.setLength(buffer.length);
                sock.receive(received);
                if (shed(received)) {
                    continue;
                }
                DatagramPacket own = new DatagramPacket(Arrays.copyOf(buffer, received.getLength()), received.getLength(),
                        received.getAddress(), received.getPort());
                messageQueue.offer(new DatagramQueuedMessageDispatch(own, System.currentTimeMillis()));
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

    /** True when this datagram is dropped: the queue is behind and its source is over its share. */
    private boolean shed(DatagramPacket packet) {
        long now = System.currentTimeMillis();
        if (now - windowStart >= WINDOW_MILLIS) {
            int backlog = messageQueue.size();
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
        if (shedAfter > 0 && count[0] >= fairShare && !endsWork(packet.getData())) {
            DatagramQueuedMessageDispatch oldest = messageQueue.peek();
            if (oldest != null && now - oldest.getReceptionTime() > shedAfter) {
                dropped.incrementAndGet();
                return true;
            }
        }
        count[0]++;
        admittedInWindow++;
        return false;
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
}
