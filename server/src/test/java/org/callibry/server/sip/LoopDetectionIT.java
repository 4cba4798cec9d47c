package org.callibry.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.callibry.server.api.ApiTestSupport;
import org.junit.jupiter.api.Test;

/** A request that already passed this proxy (it carries our Via) is a loop: 482 (RFC 3261 §16.3 step 4). */
class LoopDetectionIT extends ApiTestSupport {

    @Test
    void aRequestCarryingOurViaIsALoop() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(5000);
            int me = socket.getLocalPort();
            String request = "OPTIONS sip:1001@127.0.0.1:" + SIP_PORT + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + me + ";branch=z9hG4bK-loop-" + System.nanoTime() + "\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + SIP_PORT + ";branch=z9hG4bK-earlier-pass\r\n"
                    + "Max-Forwards: 60\r\nFrom: <sip:1002@127.0.0.1>;tag=loop\r\nTo: <sip:1001@127.0.0.1>\r\n"
                    + "Call-ID: loop-" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), SIP_PORT));
            byte[] buf = new byte[8192];
            DatagramPacket answer = new DatagramPacket(buf, buf.length);
            socket.receive(answer);
            assertThat(new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8)).startsWith("SIP/2.0 482 ");
        }
    }
}
