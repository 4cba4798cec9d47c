package org.callibry.server.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.stack.LeanUdpMessageProcessor;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.message.MessageFactory;
import org.callibry.shared.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The UDP port bound by several SO_REUSEPORT sockets, each read by its own channel threads: every source is
 * answered, from the port it sent to, by more than one thread; nobody can bind the port beside the server
 * without SO_REUSEPORT; stopping the stack frees the port.
 */
class LeanUdpSocketsTest {
    private LeanSipStack stack;
    private int port;
    private final Set<String> threads = ConcurrentHashMap.newKeySet();

    private void start(int sockets, int threadCount) throws Exception {
        Properties p = LeanSipStackTest.properties();
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(threadCount));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true"); // as the server: events on the channel threads
        p.setProperty(LeanUdpMessageProcessor.SOCKETS, Integer.toString(sockets));
        stack = new LeanSipStack(p);
        port = FreePorts.udpAndTcp();
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, "udp");
        SipProvider provider = stack.createSipProvider(lp);
        MessageFactory messages = SipFactory.getInstance().createMessageFactory();
        provider.addSipListener(new RequestListener() {
            @Override
            public void processRequest(RequestEvent event) {
                threads.add(Thread.currentThread().getName());
                try {
                    if (event.getRequest().getHeader("Call-ID").toString().contains("slow")) {
                        Thread.sleep(2000); // a listener held up (a lock, a slow lookup)
                    }
                    provider.sendResponse(messages.createResponse(200, event.getRequest()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        stack.start();
    }

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.stop();
            stack = null;
        }
    }

    private byte[] options(DatagramSocket from, int n) {
        return options(from, Integer.toString(n), n);
    }

    private byte[] options(DatagramSocket from, String id, int n) {
        String sentBy = "127.0.0.1:" + from.getLocalPort();
        return ("OPTIONS sip:server@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + sentBy + ";branch=z9hG4bK-" + from.getLocalPort() + "-" + n + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=" + from.getLocalPort() + "\r\n"
                + "To: <sip:server@127.0.0.1>\r\n"
                + "Call-ID: sockets-" + from.getLocalPort() + "-" + id + "@127.0.0.1\r\n"
                + "CSeq: " + (n + 1) + " OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void everySourceIsAnsweredFromTheServersPortByMoreThanOneThread() throws Exception {
        start(4, 5);
        assertThat(stack.udpSockets()).isEqualTo(4);
        List<DatagramSocket> sources = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                s.setSoTimeout(5000);
                sources.add(s);
            }
            for (int n = 0; n < 10; n++) {
                for (DatagramSocket s : sources) {
                    byte[] b = options(s, n);
                    s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
                }
            }
            for (DatagramSocket s : sources) {
                Set<String> answered = new java.util.HashSet<>();
                for (int n = 0; n < 10; n++) {
                    DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                    s.receive(p);
                    assertThat(p.getPort()).as("answered from the port it was sent to").isEqualTo(port);
                    String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                    assertThat(text).startsWith("SIP/2.0 200 OK");
                    answered.add(text.lines().filter(l -> l.startsWith("Call-ID")).findFirst().orElseThrow());
                }
                assertThat(answered).as("ten different requests answered for %s", s.getLocalPort()).hasSize(10);
            }
        } finally {
            sources.forEach(DatagramSocket::close);
        }
        // 16 sources over 4 sockets: all on one socket has a chance of 4 in 4^16
        assertThat(threads).as("threads that processed requests").hasSizeGreaterThan(1);
    }

    @Test
    void aHeldUpReaderDoesNotHoldUpTheOthersFromItsSocket() throws Exception {
        start(1, 3); // one socket: its reader, the watcher, one helper
        assertThat(stack.udpSockets()).isEqualTo(1);
        long rescuedBefore = LeanUdpMessageProcessor.rescued();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(10_000);
            byte[] slow = options(s, "slow", 0);
            s.send(new DatagramPacket(slow, slow.length, InetAddress.getLoopbackAddress(), port));
            Thread.sleep(200); // the reader has it and is held up
            for (int n = 1; n <= 5; n++) {
                byte[] b = options(s, n);
                s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
            }
            List<String> order = new ArrayList<>();
            for (int n = 0; n < 6; n++) {
                DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                s.receive(p);
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                order.add(text.lines().filter(l -> l.startsWith("Call-ID")).findFirst().orElseThrow());
            }
            assertThat(order.getLast()).as("the held-up request is answered last: %s", order).contains("-slow@");
        }
        assertThat(LeanUdpMessageProcessor.rescued()).as("read by the watcher").isGreaterThan(rescuedBefore);
    }

    @Test
    void thePortCannotBeSharedWithoutReusePortAndIsFreedOnStop() throws Exception {
        start(2, 4);
        assertThatThrownBy(() -> new DatagramSocket(port, InetAddress.getByName("127.0.0.1")).close())
                .isInstanceOf(BindException.class);
        stack.stop();
        stack = null;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try (DatagramSocket again = new DatagramSocket(port, InetAddress.getByName("127.0.0.1"))) {
                again.setSoTimeout(200);
                assertThatThrownBy(() -> again.receive(new DatagramPacket(new byte[16], 16)))
                        .isInstanceOf(SocketTimeoutException.class);
                break;
            } catch (BindException e) {
                assertThat(System.nanoTime()).as("the port is freed after the stop").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }
}
