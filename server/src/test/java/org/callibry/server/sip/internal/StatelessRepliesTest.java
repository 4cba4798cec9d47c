package org.callibry.server.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.message.Response;
import org.callibry.server.sip.core.Sip;
import org.callibry.shared.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * REGISTER over UDP answered without a JAIN-SIP transaction, on a real stack as the server runs it (several
 * channel threads, events on them): a copy of a request is answered again once its answer has left, even
 * while the listener still works on the original, and dropped while the answer is not there yet; the request
 * is handled once.
 */
class StatelessRepliesTest {
    private LeanSipStack stack;
    private int port;
    private final AtomicInteger handled = new AtomicInteger();
    /** Released by the test: the listener's work before its answer. */
    private final CountDownLatch answer = new CountDownLatch(1);
    /** Released by the test: the listener's work after its answer (a binding written, a push sent). */
    private final CountDownLatch finish = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        Properties p = LeanSipStackTest.properties();
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true"); // as the server: events on the channel threads
        stack = new LeanSipStack(p);
        port = FreePorts.udpAndTcp();
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, "udp");
        SipProvider provider = stack.createSipProvider(lp);
        SipFactory factory = SipFactory.getInstance();
        Sip sip = new Sip(provider, factory.createMessageFactory(), factory.createHeaderFactory(), factory.createAddressFactory(),
                "127.0.0.1", port, 0);
        StatelessReplies replies = new StatelessReplies(sip, stack);
        provider.addSipListener(new RequestListener() {
            @Override
            public void processRequest(RequestEvent event) {
                ServerTransaction st = replies.begin(event.getRequest());
                if (st == null) {
                    return; // a copy: dropped or answered again
                }
                try {
                    Response ok = sip.messages.createResponse(200, event.getRequest());
                    ok.setReasonPhrase("OK " + handled.incrementAndGet());
                    answer.await(5, TimeUnit.SECONDS);
                    st.sendResponse(ok);
                    finish.await(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        stack.start();
    }

    @AfterEach
    void stop() {
        answer.countDown();
        finish.countDown();
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void aCopyIsAnsweredAgainWhileTheListenerStillWorksOnTheOriginal() throws Exception {
        answer.countDown();
        try (DatagramSocket phone = phone()) {
            byte[] register = register(phone);
            send(phone, register);
            String ok = receive(phone);
            assertThat(ok).startsWith("SIP/2.0 200 OK 1");
            send(phone, register); // the listener is still on the original: the RI would hold it pending
            assertThat(receive(phone)).isEqualTo(ok);
            finish.countDown();
            send(phone, register);
            assertThat(receive(phone)).isEqualTo(ok);
        }
        assertThat(handled).hasValue(1);
    }

    @Test
    void aCopyBeforeTheAnswerIsDroppedAndTheRequestAnsweredOnce() throws Exception {
        finish.countDown();
        try (DatagramSocket phone = phone()) {
            byte[] register = register(phone);
            send(phone, register);
            send(phone, register); // the original not answered yet
            phone.setSoTimeout(500);
            assertThat(silence(phone)).as("nothing before the answer").isTrue();
            answer.countDown();
            phone.setSoTimeout(5000);
            String ok = receive(phone);
            assertThat(ok).startsWith("SIP/2.0 200 OK 1");
            phone.setSoTimeout(500);
            assertThat(silence(phone)).as("one answer, the copy was dropped").isTrue();
            phone.setSoTimeout(5000);
            send(phone, register);
            assertThat(receive(phone)).isEqualTo(ok);
        }
        assertThat(handled).hasValue(1);
    }

    private static DatagramSocket phone() throws Exception {
        DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        phone.setSoTimeout(5000);
        return phone;
    }

    private byte[] register(DatagramSocket phone) {
        String me = "127.0.0.1:" + phone.getLocalPort();
        return ("REGISTER sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + me + ";branch=z9hG4bK-copy-" + System.nanoTime() + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:1001@127.0.0.1>;tag=copy\r\n"
                + "To: <sip:1001@127.0.0.1>\r\n"
                + "Call-ID: copy-" + System.nanoTime() + "@127.0.0.1\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Contact: <sip:1001@" + me + ">\r\n"
                + "Expires: 120\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private void send(DatagramSocket phone, byte[] bytes) throws Exception {
        phone.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    private static String receive(DatagramSocket phone) throws Exception {
        byte[] in = new byte[8192];
        DatagramPacket p = new DatagramPacket(in, in.length);
        phone.receive(p);
        return new String(in, 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private static boolean silence(DatagramSocket phone) throws Exception {
        try {
            receive(phone);
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }
}
