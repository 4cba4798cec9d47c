package org.callibry.server.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import org.callibry.shared.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CANCEL lookup by branch finds the transaction the RI's scan finds, and nothing the scan would not. */
class LeanSipStackTest {
    private LeanSipStack stack;
    private SipProvider provider;
    private int port;

    /** As the server's stacks: our loggers and UDP receiver (which can be stopped before its thread runs). */
    static Properties properties() {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "lean-stack-test-" + System.nanoTime());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", LeanProcessors.class.getName());
        return p;
    }

    @BeforeEach
    void start() throws Exception {
        stack = new LeanSipStack(properties());
        port = FreePorts.udpAndTcp();
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, "udp");
        provider = stack.createSipProvider(lp);
        stack.start();
    }

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.stop();
            stack = null;
        }
    }

    private static SIPRequest request(String method, String branch, String sentBy) throws Exception {
        String text = method + " sip:bob@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + sentBy + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=1\r\n"
                + "To: <sip:bob@127.0.0.1>\r\n"
                + "Call-ID: cancel-lookup@127.0.0.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:alice@" + sentBy + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
        return (SIPRequest) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
    }

    /** Sends INVITE then CANCEL from {@code sentBy}'s socket; answers what the stack found for the CANCEL. */
    private Object[] inviteThenCancel(String inviteBranch, String cancelBranch, boolean cancelFromElsewhere) throws Exception {
        CompletableFuture<ServerTransaction> invite = new CompletableFuture<>();
        CompletableFuture<Object> found = new CompletableFuture<>();
        provider.addSipListener(new RequestListener() {
            @Override
            public void processRequest(RequestEvent event) {
                try {
                    if (event.getRequest().getMethod().equals("INVITE")) {
                        invite.complete(provider.getNewServerTransaction(event.getRequest()));
                    } else if (event.getRequest().getMethod().equals("CANCEL")) {
                        Object tx = stack.findCancelTransaction((SIPRequest) event.getRequest(), true);
                        found.complete(tx == null ? "none" : tx);
                    }
                } catch (Exception e) {
                    invite.completeExceptionally(e);
                    found.completeExceptionally(e);
                }
            }
        });
        try (DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket b = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            send(a, request("INVITE", inviteBranch, "127.0.0.1:" + a.getLocalPort()));
            ServerTransaction tx = invite.get(5, TimeUnit.SECONDS);
            DatagramSocket from = cancelFromElsewhere ? b : a;
            send(from, request("CANCEL", cancelBranch, "127.0.0.1:" + from.getLocalPort()));
            return new Object[] {tx, found.get(5, TimeUnit.SECONDS)};
        }
    }

    private void send(DatagramSocket socket, SIPRequest request) throws Exception {
        byte[] bytes = request.encodeAsBytes("UDP");
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    @Test
    void aCancelFindsItsInviteByBranch() throws Exception {
        Object[] r = inviteThenCancel("z9hG4bK-Cancel-Me", "z9hG4bK-Cancel-Me", false);
        assertThat(r[1]).isSameAs(r[0]);
    }

    @Test
    void branchesCompareIgnoringCaseAsInTheRi() throws Exception {
        Object[] r = inviteThenCancel("z9hG4bK-Cancel-Me", "z9hg4bk-cancel-me", false);
        assertThat(r[1]).isSameAs(r[0]);
    }

    @Test
    void anotherSendersCancelWithTheSameBranchFindsNothing() throws Exception {
        assertThat(inviteThenCancel("z9hG4bK-Cancel-Me", "z9hG4bK-Cancel-Me", true)[1]).isEqualTo("none");
    }

    @Test
    void anUnknownBranchFindsNothing() throws Exception {
        assertThat(inviteThenCancel("z9hG4bK-Cancel-Me", "z9hG4bK-unknown", false)[1]).isEqualTo("none");
    }

    @Test
    void anRfc2543BranchKeepsTheRisMatchOnTheRequestItself() throws Exception {
        Object[] r = inviteThenCancel("old-style-1", "old-style-1", false);
        assertThat(r[1]).isSameAs(r[0]);
        stop();
        start();
        assertThat(inviteThenCancel("old-style-1", "old-style-1", true)[1]).isEqualTo("none");
    }

    @Test
    void aCancelWeSendFindsTheInviteClientTransaction() throws Exception {
        SIPRequest invite = request("INVITE", "z9hG4bK-out-1", "127.0.0.1:5060");
        var client = provider.getNewClientTransaction(invite);

        assertThat(stack.findCancelTransaction(request("CANCEL", "z9hG4bK-out-1", "127.0.0.1:5060"), false)).isSameAs(client);
        assertThat(stack.findCancelTransaction(request("CANCEL", "z9hG4bK-out-2", "127.0.0.1:5060"), false)).isNull();
    }

    @Test
    void everyStackTakesTheLingerOfTheProcessUnlessItsPropertiesSayOtherwise() throws Exception {
        int before = LeanSipStack.lingerSeconds;
        LeanSipStack.lingerSeconds = 3;
        try {
            LeanSipStack made = new LeanSipStack(properties());
            try {
                assertThat(made.getConnectionLingerTimer()).isEqualTo(3);
            } finally {
                made.stop();
            }
            Properties p = properties();
            p.setProperty(LeanSipStack.LINGER, "6");
            LeanSipStack other = new LeanSipStack(p);
            try {
                assertThat(other.getConnectionLingerTimer()).isEqualTo(6);
            } finally {
                other.stop();
            }
        } finally {
            LeanSipStack.lingerSeconds = before;
            new LeanSipStack(properties()).stop(); // the RI's static value back to the process's
        }
    }
}
