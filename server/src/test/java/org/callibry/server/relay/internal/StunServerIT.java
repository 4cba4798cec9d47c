package org.callibry.server.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import org.callibry.shared.testing.FreePorts;
import org.callibry.shared.stun.StunMessage;
import org.junit.jupiter.api.Test;

/**
 * The STUN server's socket loop. Scenarios: a flood from one source is answered up to its burst and
 * then dropped, while the server goes on answering another source and, after a pause, the first one
 * again; junk datagrams do not stop it; it stops cleanly and port 0 means not started.
 */
class StunServerIT {

    private static byte[] binding(int n) {
        byte[] tid = new byte[12];
        tid[11] = (byte) n;
        tid[10] = (byte) (n >> 8);
        return new StunMessage(StunMessage.BINDING_REQUEST, StunMessage.MAGIC_COOKIE, tid, List.of()).encode(false);
    }

    private static int drain(DatagramSocket s) throws Exception {
        s.setSoTimeout(300);
        int n = 0;
        byte[] buf = new byte[1500];
        try {
            while (true) {
                s.receive(new DatagramPacket(buf, buf.length));
                n++;
            }
        } catch (SocketTimeoutException e) {
            return n;
        }
    }

    @Test
    void aFloodFromOneSourceIsCutToItsBurstAndOthersAreStillAnswered() throws Exception {
        int port = FreePorts.udpAndTcp();
        StunServer server = new StunServer(new StunProperties(port, "127.0.0.1", "", 5, 10), new SimpleMeterRegistry());
        server.start();
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (DatagramSocket flooder = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket other = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"))) {
            flooder.setReceiveBufferSize(1 << 20);
            byte[] junk = new byte[] {(byte) 0x80, 0, 0, 0};
            for (int i = 0; i < 500; i++) {
                byte[] b = binding(i);
                flooder.send(new DatagramPacket(b, b.length, to));
                flooder.send(new DatagramPacket(junk, junk.length, to));
            }
            int answered = drain(flooder);
            // every datagram takes a token, junk too: 10 at once (5 requests, 5 junk), plus 5/s refill during the flood
            assertThat(answered).isBetween(5, 12);

            byte[] b = binding(1);
            other.send(new DatagramPacket(b, b.length, to));
            assertThat(drain(other)).as("another source is answered").isEqualTo(1);

            Thread.sleep(400); // two tokens back
            flooder.send(new DatagramPacket(b, b.length, to));
            assertThat(drain(flooder)).as("the flooder is answered again after a pause").isEqualTo(1);
            assertThat(server.isRunning()).isTrue();
        } finally {
            server.stop();
        }
        assertThat(server.isRunning()).isFalse();
        try (DatagramSocket again = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the port was released").isEqualTo(port);
        }
    }

    @Test
    void portZeroDisablesTheServer() {
        StunServer server = new StunServer(new StunProperties(0, "127.0.0.1", "", 5, 10), new SimpleMeterRegistry());
        server.start();
        assertThat(server.isRunning()).isFalse();
        assertThat(server.localPort()).isZero();
        server.stop();
    }
}
