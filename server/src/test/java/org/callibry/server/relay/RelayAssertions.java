package org.callibry.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** RTP through a relay (ours or rtpengine), checked from the test's own sockets. */
final class RelayAssertions {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private RelayAssertions() {
    }

    /** Sends 5 RTP packets from {@code from} to the relay and checks they arrive at {@code to}, sent from its relay port. */
    static void assertRelayed(DatagramSocket from, int fromRelayPort, DatagramSocket to, int toRelayPort, int ssrc)
            throws IOException {
        to.setSoTimeout(2000);
        for (int seq = 0; seq < 5; seq++) {
            byte[] packet = rtp(seq, ssrc);
            from.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(LOOPBACK, fromRelayPort)));
            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            try {
                to.receive(in);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("RTP packet " + seq + " sent to relay port " + fromRelayPort + " never arrived at "
                        + to.getLocalPort());
            }
            assertThat(Arrays.copyOf(in.getData(), in.getLength())).as("packet %d relayed unchanged", seq).isEqualTo(packet);
            assertThat(in.getPort()).as("relayed from the other side's relay port (symmetric RTP)").isEqualTo(toRelayPort);
        }
    }

    /** An RTP packet (RFC 3550 §5.1) of PCMU with 160 bytes of a recognisable payload. */
    private static byte[] rtp(int seq, int ssrc) {
        byte[] p = new byte[12 + 160];
        p[0] = (byte) 0x80;
        p[1] = 0; // PCMU
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        int ts = seq * 160;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[11] = (byte) ssrc;
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) (seq * 31 + i);
        }
        return p;
    }

}
