package org.callibry.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callibry.softphone.sip.Recorder.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A queue's offer as the user agent receives it: a raw INVITE over loopback UDP from a stand-in for
 * the server (no server needed). Scenarios: an INVITE with {@code X-Callibry-Queue} rings with the
 * queue's name on the call and the caller's number from From; one without the header rings with no
 * queue.
 */
class QueueOfferIT {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** The stand-in server's socket and an agent whose server it is, started but not registered. */
    private record Offer(DatagramSocket server, UserAgent agent, Recorder events) {
    }

    private Offer agent() throws Exception {
        DatagramSocket server = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.setSoTimeout(5_000);
        open.add(server);
        Recorder events = new Recorder();
        UserAgent agent = new UserAgent(SoftphoneAccount.of("127.0.0.1", server.getLocalPort(), Transport.UDP, "1001", "pw",
                "demo.callibry.test"), events);
        open.add(agent);
        agent.start();
        return new Offer(server, agent, events);
    }

    private static void send(Offer o, String callId, String extraHeaders) throws Exception {
        int port = o.server().getLocalPort();
        InetSocketAddress to = o.agent().localSipAddress();
        String invite = "INVITE sip:1001@" + to.getAddress().getHostAddress() + ":" + to.getPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Anna\" <sip:+74951234567@demo.callibry.test>;tag=f-" + callId + "\r\n"
                + "To: <sip:1001@demo.callibry.test>\r\n"
                + "Call-ID: " + callId + "@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:+74951234567@127.0.0.1:" + port + ">\r\n"
                + extraHeaders
                + "Content-Length: 0\r\n\r\n";
        byte[] bytes = invite.getBytes(StandardCharsets.UTF_8);
        o.server().send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** The responses the agent sends back until 180 Ringing, as their status lines. */
    private static List<String> untilRinging(Offer o) throws Exception {
        List<String> lines = new ArrayList<>();
        byte[] buf = new byte[65_535];
        try {
            while (lines.isEmpty() || !lines.getLast().startsWith("SIP/2.0 180")) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                o.server().receive(p);
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                lines.add(text.substring(0, text.indexOf("\r\n")));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no 180 Ringing; got " + lines, e);
        }
        return lines;
    }

    @Test
    void aQueueOfferRingsWithTheQueuesNameAndTheCallersNumber() throws Exception {
        Offer o = agent();
        send(o, "offer1", "X-Callibry-Queue: Продажи\r\n");
        assertThat(untilRinging(o)).last().asString().startsWith("SIP/2.0 180");
        await("incoming call", () -> !o.events().incoming.isEmpty());
        Call call = o.events().incoming.getFirst();
        assertThat(call.queue()).isEqualTo("Продажи");
        assertThat(call.remoteUser()).isEqualTo("+74951234567");
        assertThat(call.state()).isEqualTo(CallState.RINGING);
    }

    @Test
    void aDirectCallRingsWithoutAQueue() throws Exception {
        Offer o = agent();
        send(o, "direct1", "");
        untilRinging(o);
        await("incoming call", () -> !o.events().incoming.isEmpty());
        assertThat(o.events().incoming.getFirst().queue()).isEmpty();
    }
}
