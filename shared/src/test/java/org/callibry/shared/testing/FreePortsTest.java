package org.callibry.shared.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void portsComeFromOutsideTheKernelsEphemeralRangeAndTheRelaysAndAreNeverGivenTwice() throws Exception {
        int[] range = FreePorts.range();
        String[] r = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim().split("\\s+");
        int[] ephemeral = {Integer.parseInt(r[0]), Integer.parseInt(r[1])};
        assertThat(range[1] - range[0]).isGreaterThanOrEqualTo(999);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePorts.udpAndTcp();
            assertThat(port).isBetween(range[0], range[1]);
            assertThat(port < 20_000 || port > 29_999).as("port %d in the relay's range", port).isTrue();
            assertThat(port < ephemeral[0] || port > ephemeral[1]).as("port %d in the ephemeral range", port).isTrue();
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }

    @Test
    void aBlockIsEvenAndEachOfItsPortsCanBeBoundForUdpAndTcp() throws Exception {
        int first = FreePorts.block(10);
        assertThat(first % 2).isZero();
        for (int port = first; port < first + 10; port++) {
            try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress());
                 ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(udp.getLocalPort()).isEqualTo(tcp.getLocalPort());
            }
        }
    }
}
