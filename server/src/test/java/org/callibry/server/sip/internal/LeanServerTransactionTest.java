package org.callibry.server.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.message.MessageFactory;
import javax.sip.message.Response;
import org.callibry.shared.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With the server's {@code RELEASE_REFERENCES_STRATEGY=Aggressive}, an answered transaction lets go of its request;
 * the RI then threw on it when it compared a request from an RFC 2543 peer with the table, and lost that request.
 */
class LeanServerTransactionTest {
    private LeanSipStack stack;
    private int port;
    private final AtomicInteger handled = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        Properties p = LeanSipStackTest.properties();
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Aggressive");
        stack = new LeanSipStack(p);
        port = FreePorts.udpAndTcp();
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, "udp");
        SipProvider provider = stack.createSipProvider(lp);
        MessageFactory messages = SipFactory.getInstance().createMessageFactory();
        provider.addSipListener(new RequestListener() {
            @Override
            public void processRequest(RequestEvent event) {
                try {
                    ServerTransaction st = provider.getNewServerTransaction(event.getRequest());
                    handled.incrementAndGet();
                    st.sendResponse(messages.createResponse(Response.OK, event.getRequest()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        stack.start();
    }

    @AfterEach
    void stop() {
        stack.stop();
    }

    private String options(DatagramSocket phone, String branch, String callId) {
        return "OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.getLocalPort() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:bob@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private String exchange(DatagramSocket phone, String request) throws Exception {
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        phone.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
        phone.receive(in);
        return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void anRfc2543RequestIsAnsweredWhileReleasedTransactionsAreInTheTable() throws Exception {
        try (DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            phone.setSoTimeout(3000);
            assertThat(exchange(phone, options(phone, "z9hG4bK-released", "rfc3261@127.0.0.1"))).startsWith("SIP/2.0 200");

            String old = options(phone, "rfc2543-branch", "rfc2543@127.0.0.1");
            String ok = exchange(phone, old);
            assertThat(ok).startsWith("SIP/2.0 200");
            assertThat(exchange(phone, old)).as("its retransmission: answered by its transaction, which kept its request")
                    .isEqualTo(ok);
            assertThat(exchange(phone, options(phone, "z9hG4bK-released", "rfc3261@127.0.0.1")))
                    .as("a retransmission of the released one: answered by its transaction from the encoded answer")
                    .startsWith("SIP/2.0 200");
        }
        assertThat(handled).as("requests the listener saw: each retransmission was the transactions' to answer").hasValue(2);
    }
}
